/**
 * formatPhylipDistances output read by PHYLIP neighbor itself (UPGMA), run live: that neighbor
 * reads our text is the point, so no fixture can stand in for it. Skips without `phylip`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatPhylipDistances, parseNewick, upgma } from '../../../src/core';
import { expectSameTree } from '../helpers/tree-compare';
import { randomMatrix } from '../helpers/fixtures';
import { createRandom } from '../../../src/core/random';

const NEIGHBOR = '/usr/lib/phylip/bin/neighbor';

describe('formatPhylipDistances vs PHYLIP neighbor', () => {
  (existsSync(NEIGHBOR) ? it : it.skip)(
    'neighbor reads our strict-format matrix and builds the same UPGMA tree',
    () => {
      const d = randomMatrix(15, createRandom(77));
      const names = d.map((_, k) => `taxon ${k}`);
      const dir = mkdtempSync(join(tmpdir(), 'neighbor-'));
      try {
        writeFileSync(join(dir, 'infile'), formatPhylipDistances(names, d, 10));
        const run = spawnSync(NEIGHBOR, [], { cwd: dir, input: 'N\nY\n' });
        expect(run.status).toBe(0);
        const theirs = parseNewick(readFileSync(join(dir, 'outtree'), 'utf8'));
        // neighbor writes 5 decimals per edge
        expectSameTree(upgma(d, names), theirs, 1e-4);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
