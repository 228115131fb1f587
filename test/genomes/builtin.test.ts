import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_GENOMES, builtinGenes, readPool } from '../../src/genomes/builtin';

describe('built-in genomes', () => {
  it.each(BUILTIN_GENOMES.map((g) => [g.name, g] as const))(
    '%s: the seeded draw gives exactly the committed gene ids (128 distinct pool genes)',
    (_name, genome) => {
      const committed = JSON.parse(
        readFileSync(join(__dirname, '../../assets/genomes', `${genome.name}.ids.json`), 'utf8'),
      );
      const genes = builtinGenes(genome);
      expect(genes.map((g) => g.id)).toEqual(committed.ids);
      expect(new Set(genes.map((g) => g.text)).size).toBe(128);
    },
  );

  it('the pools are the 4,096-gene pools, 20 to 99 characters each', () => {
    for (const pool of ['math-owm-4096.jsonl', 'code-mbxp-4096.jsonl']) {
      const genes = readPool(pool);
      expect(genes).toHaveLength(4096);
      expect(genes.every((g) => [...g.text].length >= 20 && [...g.text].length <= 99)).toBe(true);
    }
  });
});
