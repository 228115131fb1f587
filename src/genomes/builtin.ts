/**
 * The genomes shipped with the server (README, "Default genomes"). Each is 128 genes drawn with a
 * fixed seed from a 4,096-gene pool in `assets/genomes/pools/` (method.md: G = 128 is the
 * reference size). The drawn gene ids are also committed in `assets/genomes/<name>.ids.json` and
 * a test checks that the draw still gives them, so the default genome can never drift silently.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom, sampleIndices } from '../core/random';
import { assetsFolder } from '../paths';

export interface BuiltinGenome {
  name: string;
  pool: string;
  seed: number;
  size: number;
  description: string;
}

export const BUILTIN_GENOMES: readonly BuiltinGenome[] = [
  {
    name: 'math-owm-128',
    pool: 'math-owm-4096.jsonl',
    seed: 20250124,
    size: 128,
    description: 'open-web-math prefixes, the pool the PhyloLM authors published (ODC-By 1.0)',
  },
  {
    name: 'code-mbxp-128',
    pool: 'code-mbxp-4096.jsonl',
    seed: 20250124,
    size: 128,
    description: 'MBXP canonical-solution prefixes in 13 languages (CC BY 4.0)',
  },
];

export interface PoolGene {
  id: string;
  text: string;
}

export function readPool(file: string): PoolGene[] {
  return readFileSync(join(assetsFolder, 'genomes', 'pools', file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const { id, text } = JSON.parse(line) as PoolGene;
      return { id, text };
    });
}

/** The genes of a built-in genome, in pool order (a seeded uniform draw without replacement). */
export function builtinGenes(genome: BuiltinGenome): PoolGene[] {
  const pool = readPool(genome.pool);
  return sampleIndices(createRandom(genome.seed), pool.length, genome.size).map((i) => pool[i]);
}

export function findBuiltinGenome(name: string): BuiltinGenome | undefined {
  return BUILTIN_GENOMES.find((g) => g.name === name);
}
