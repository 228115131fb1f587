/**
 * Writes `assets/genomes/<name>.ids.json` for every built-in genome: the record of which pool
 * genes the seeded draw picked. Run after changing a seed or a pool:
 *   npm run build && node dist/scripts/write-builtin-genome-ids.js
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_GENOMES, builtinGenes } from '../src/genomes/builtin';
import { assetsFolder } from '../src/paths';

for (const genome of BUILTIN_GENOMES) {
  const ids = builtinGenes(genome).map((g) => g.id);
  const file = join(assetsFolder, 'genomes', `${genome.name}.ids.json`);
  writeFileSync(file, `${JSON.stringify({ name: genome.name, pool: genome.pool, seed: genome.seed, ids }, null, 1)}\n`);
  process.stdout.write(`${file}: ${ids.length} genes\n`);
}
