/**
 * Per-gene allele model of the simulated zoo.
 *
 * For each gene (its text hashed together with the seed) there are HEAD candidate completions,
 * each starting with a distinct word of >= 4 letters so each maps to its own allele under the
 * reference rule, plus one "tail" slot that yields a fresh random word per sample (a long tail
 * of singletons, as real models show). Root logits fall off with rank; every branch adds
 * N(0, SIGMA^2 * branchLength) to each logit (Brownian drift, like fine-tuning drift), and a
 * CHAT request adds a small model-specific shift standing in for the chat template.
 */
import type { Mode } from '../../src/providers/provider';
import { gaussian, hashString, mulberry32, rngFor } from './random';
import type { ZooNode } from './zoo';
import { pathFromRoot } from './zoo';

export const HEAD = 10;
/** logit drift per unit branch length */
const SIGMA = 2.0;
/** branch length equivalent of wrapping the gene in a chat turn */
const CHAT_SHIFT = 0.15;
const TAIL_LOGIT = -2.5;
const COMPETENCE = Number(process.env.ZOO_COMPETENCE ?? 1.5);

/** The candidate a capable model favours for this gene, the same in every family. */
export function competentCandidate(seed: number, geneKey: number): number {
  return Math.floor(rngFor('competent', seed, geneKey)() * HEAD);
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'be', 'da', 'fu', 'go', 'hi', 'ju', 'pe', 'zo', 'an', 'el', 'or', 'un'];

function word(random: () => number, syllables: number): string {
  let w = '';
  for (let i = 0; i < syllables; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
  return w;
}

/** HEAD completions for a gene, each 3 words, first words distinct in their first 4 letters. */
export function geneCandidates(seed: number, gene: string): string[] {
  const random = rngFor('candidates', seed, hashString(gene));
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < HEAD) {
    const first = word(random, 2 + Math.floor(random() * 2));
    if (seen.has(first.slice(0, 4))) continue;
    seen.add(first.slice(0, 4));
    out.push(` ${first} ${word(random, 1 + Math.floor(random() * 2))} ${word(random, 2)}`);
  }
  return out;
}

/** A fresh tail completion for one sample. */
export function tailCompletion(random: () => number): string {
  return ` ${word(random, 2 + Math.floor(random() * 2))}${word(random, 1)} ${word(random, 2)}`;
}

function drift(seed: number, nodeId: string, geneKey: number, branchLength: number, out: Float64Array): void {
  const random = rngFor('drift', seed, nodeId, geneKey);
  const scale = SIGMA * Math.sqrt(branchLength);
  for (let k = 0; k < out.length; k++) out[k] += scale * gaussian(random);
}

/** Logits over HEAD candidates + the tail slot for one model, gene and mode. */
export function alleleLogits(seed: number, byId: Map<string, ZooNode>, model: string, mode: Mode, gene: string): Float64Array {
  const geneKey = hashString(gene);
  const logits = new Float64Array(HEAD + 1);
  const root = mulberry32(hashString(`root\u001f${seed}\u001f${geneKey}`));
  // root: logit_k = -0.4 k + N(0, 1): a Zipf-like head with gene-specific order
  for (let k = 0; k < HEAD; k++) logits[k] = -0.4 * k + gaussian(root);
  logits[HEAD] = TAIL_LOGIT;
  for (const node of pathFromRoot(byId, model)) drift(seed, node.id, geneKey, node.branchLength, logits);
  const c = byId.get(model)?.capability ?? 0;
  const dir = process.env.ZOO_DIRECTION ?? 'onehot';
  if (dir === 'onehot' || dir === 'both') logits[competentCandidate(seed, geneKey)] += COMPETENCE * c;
  if (dir === 'dense' || dir === 'both') {
    const r = rngFor('competent-dir', seed, geneKey);
    for (let k = 0; k < HEAD; k++) logits[k] += Number(process.env.ZOO_DENSE ?? 1) * c * gaussian(r);
  }
  if (mode === 'CHAT') drift(seed, `chat:${model}`, geneKey, CHAT_SHIFT, logits);
  // The tail stays a tail: drift may move it, but never above its root level plus noise.
  logits[HEAD] = Math.min(logits[HEAD], TAIL_LOGIT + 1);
  return logits;
}

/**
 * Sampling distribution at temperature T with nucleus topP: softmax(logits / T), restricted
 * to the smallest top set whose mass reaches topP (Holtzman et al. 2020, "The Curious Case of
 * Neural Text Degeneration"), renormalised. T = 0 puts all mass on the argmax.
 */
export function samplingDistribution(logits: Float64Array, temperature: number, topP: number): Float64Array {
  const p = new Float64Array(logits.length);
  if (temperature === 0) {
    p[logits.indexOf(Math.max(...logits))] = 1;
    return p;
  }
  const max = Math.max(...logits);
  let sum = 0;
  for (let k = 0; k < logits.length; k++) {
    p[k] = Math.exp((logits[k] - max) / temperature);
    sum += p[k];
  }
  for (let k = 0; k < p.length; k++) p[k] /= sum;
  if (topP >= 1) return p;
  const order = [...p.keys()].sort((a, b) => p[b] - p[a]);
  let mass = 0;
  let kept = 0;
  for (const k of order) {
    if (mass >= topP) p[k] = 0;
    else {
      mass += p[k];
      kept += p[k];
    }
  }
  for (let k = 0; k < p.length; k++) p[k] /= kept;
  return p;
}

/** Index drawn from distribution p by inverse CDF. */
export function draw(p: Float64Array, u: number): number {
  let acc = 0;
  for (let k = 0; k < p.length; k++) {
    acc += p[k];
    if (u < acc) return k;
  }
  // u within rounding of 1: last index with mass
  for (let k = p.length - 1; k >= 0; k--) if (p[k] > 0) return k;
  return 0;
}
