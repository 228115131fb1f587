/**
 * Nei distance against PHYLIP gendist run live on a fresh random table (the seed is in the test
 * name), beyond the committed fixtures of nei.oracle.test.ts. Skips when gendist is not
 * installed (Debian package `phylip`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandom } from '../../../src/core/random';
import { expectMatchesGendist, GENDIST, toPopulations, type Table } from './gendist';

describe('Nei distance vs PHYLIP gendist, live', () => {
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
      const run = spawnSync(GENDIST, [], { cwd: dir, input: 'A\nY\n', encoding: 'utf8' });
      expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 0 });
      expectMatchesGendist(toPopulations(table), readFileSync(join(dir, 'outfile'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
