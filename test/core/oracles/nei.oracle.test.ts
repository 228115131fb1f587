/**
 * Nei distance against PHYLIP gendist (Nei method, all alleles listed), fixtures made by
 * test/fixtures/oracles/make-fixtures.sh. gendist prints 6 decimals and has no setting for
 * more, so the comparison is at 1e-6 (rounding error <= 5e-7).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AlleleCounts, neiDistance, neiSimilarity, neiSimilarityMatrix } from '../../../src/core';
import { listFixtures, readPhylipSquare, readText } from '../helpers/fixtures';
import { createRandom } from '../../../src/core/random';

interface Table {
  names: string[];
  alleles: number[];
  probes: number;
  counts: number[][][];
}

const GENDIST_TOLERANCE = 1e-6;
const GENDIST = '/usr/lib/phylip/bin/gendist';

function toPopulations(table: Table): AlleleCounts[] {
  return table.counts.map((loci) => loci.map((locus) => Object.fromEntries(locus.map((c, a) => [`allele${a}`, c]))));
}

function expectMatchesGendist(pops: AlleleCounts[], gendistOut: string): void {
  const expected = readPhylipSquare(gendistOut).d;
  const n = pops.length;
  const s = neiSimilarityMatrix(pops);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      expect(Math.abs(neiDistance(neiSimilarity(pops[i], pops[j])) - expected[i][j])).toBeLessThanOrEqual(
        GENDIST_TOLERANCE,
      );
      expect(Math.abs(neiDistance(s[i * n + j]) - expected[i][j])).toBeLessThanOrEqual(GENDIST_TOLERANCE);
    }
  }
}

describe('Nei distance vs PHYLIP gendist', () => {
  it.each(listFixtures('nei', '.json'))('%s matches gendist within 1e-6', (file) => {
    const table = JSON.parse(readText('nei', file)) as Table;
    expectMatchesGendist(toPopulations(table), readText('nei', file.replace('.json', '.gendist.out')));
  });

  const seed = Date.now() % 100000;
  (existsSync(GENDIST) ? it : it.skip)(`a fresh random table (seed ${seed}) matches gendist run live`, () => {
    const random = createRandom(seed);
    const alleles = Array.from({ length: 9 }, () => 2 + Math.floor(random() * 5));
    const table: Table = {
      names: Array.from({ length: 7 }, (_, k) => `live${k}`),
      alleles,
      probes: 32,
      counts: Array.from({ length: 7 }, () =>
        alleles.map((k) => {
          const c = new Array<number>(k).fill(0);
          for (let s = 0; s < 32; s++) c[Math.floor(random() * random() * k)]++;
          return c;
        }),
      ),
    };
    const dir = mkdtempSync(join(tmpdir(), 'gendist-'));
    try {
      const rows = table.counts.map(
        (loci, p) =>
          table.names[p].padEnd(10) +
          loci
            .flat()
            .map((c) => String(c / 32))
            .join(' '),
      );
      writeFileSync(join(dir, 'infile'), [`${7} ${9}`, alleles.join(' '), ...rows, ''].join('\n'));
      const run = spawnSync(GENDIST, [], { cwd: dir, input: 'A\nY\n' });
      expect(run.status).toBe(0);
      expectMatchesGendist(toPopulations(table), readFileSync(join(dir, 'outfile'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
