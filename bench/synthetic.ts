/**
 * Synthetic probes for benchmarks: each gene has a handful of candidate continuations with a
 * base distribution, and each model perturbs it, so populations look like real ones (a few
 * alleles per gene, shared across related models). Seeded: every run measures the same data.
 */
import { createRandom, normal, type Random } from '../src/core/random';

const SYLLABLES = ['the', ' of', 'and', ' is', 'x =', '\\fr', '$$', ' we', 'Let', 'def', ' 1', '(', 'in'];

export interface SyntheticGenome {
  genes: string[];
  /** per gene: candidate completions and base logits */
  candidates: { texts: string[]; logits: number[] }[];
}

export function syntheticGenome(geneCount: number, seed = 1): SyntheticGenome {
  const random = createRandom(seed);
  const genes = Array.from({ length: geneCount }, (_, g) => `Gene ${g}: ${SYLLABLES[g % SYLLABLES.length]} and so`);
  const candidates = genes.map(() => {
    const k = 3 + Math.floor(random() * 8);
    const texts = Array.from({ length: k }, () => pick(random) + pick(random) + pick(random));
    return { texts, logits: texts.map(() => 2 * normal(random)) };
  });
  return { genes, candidates };
}

function pick(random: Random): string {
  return SYLLABLES[Math.floor(random() * SYLLABLES.length)];
}

/** N samples per gene for model number `m` (its own perturbation of the base logits). */
export function syntheticSamples(
  genome: SyntheticGenome,
  m: number,
  perGene: number,
): { gene: number; text: string }[] {
  const random = createRandom(1000 + m);
  const out: { gene: number; text: string }[] = [];
  genome.candidates.forEach(({ texts, logits }, gene) => {
    const weights = logits.map((l) => Math.exp(l + 0.8 * normal(random)));
    const total = weights.reduce((a, b) => a + b, 0);
    for (let s = 0; s < perGene; s++) {
      let u = random() * total;
      let k = 0;
      while (u > weights[k] && k < weights.length - 1) u -= weights[k++];
      out.push({ gene, text: texts[k] });
    }
  });
  return out;
}
