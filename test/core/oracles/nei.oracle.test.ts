/**
 * Nei distance against PHYLIP gendist (Nei method, all alleles listed), fixtures made by
 * test/fixtures/oracles/make-fixtures.sh; a fresh table through gendist live is in
 * nei.live.test.ts.
 */
import { listFixtures, readText } from '../helpers/fixtures';
import { expectMatchesGendist, toPopulations, type Table } from './gendist';

describe('Nei distance vs PHYLIP gendist', () => {
  it.each(listFixtures('nei', '.json'))('%s matches gendist within 1e-6', (file) => {
    const table = JSON.parse(readText('nei', file)) as Table;
    expectMatchesGendist(toPopulations(table), readText('nei', file.replace('.json', '.gendist.out')));
  });
});
