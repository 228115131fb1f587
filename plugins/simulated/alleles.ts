/**
 * Per-gene allele model of the simulated zoo.
 *
 * For each gene (its text hashed together with the seed) there are HEAD candidate completions,
 * each starting with a distinct word of >= 4 letters so each maps to its own allele under the
 * reference rule, plus one "tail" slot that yields a fresh random word per sample (a long tail
 * of singletons, as real models show). Root logits fall off with rank; every branch adds
 * N(0, SIGMA^2 * branchLength) to each logit (Brownian drift, like fine-tuning drift), and a
 * CHAT request adds a small model-specific shift standing in for the chat template.
 *
 * Shared competence: on top of the lineage drift, a model with latent capability c (zoo.ts)
 * moves its logits by a(c) * u_g, where u_g is one direction per gene shared by every family
 * (a spike on the gene's "correct" candidate plus a dense random part) and
 * a(c) = 2 tanh(c / 2). Capable models of different families therefore converge on the same
 * continuations, as stronger real LLMs do, which is what lets distances to OTHER families predict
 * a model's benchmark scores (leave-one-family-out). Lineage drift still dominates: on
 * math-owm-128 x 32 samples the NJ tree recovers every split of the true tree for seeds 0-19.
 */
import type { Mode } from '../../src/providers/provider';
import { hashString, keyedRandom, normal } from '../../src/core/random';
import type { ZooNode } from './zoo';
import { pathFromRoot } from './zoo';

export const HEAD = 10;
/** logit drift per unit branch length */
const SIGMA = 2.0;
/** branch length equivalent of wrapping the gene in a chat turn */
const CHAT_SHIFT = 0.15;
const TAIL_LOGIT = -2.5;
/** weight of the gene's "correct" candidate in the competent direction */
const COMPETENT_SPIKE = 1.0;
/** per-candidate standard deviation of the dense, shared part of the competent direction */
const COMPETENT_SPREAD = 0.7;
/**
 * Bound on how far capability moves the logits along the competent direction. Without it the
 * few models with |c| > 3 collapse onto one continuation and pull other families' extreme
 * models into their clade (3 of 20 seeds lost a true split); with it all 20 keep every split.
 */
const COMPETENT_LIMIT = 2;

/**
 * The competent direction of a gene, the same for every model and family:
 *     u_g[k] = COMPETENT_SPIKE * [k = k*_g] + COMPETENT_SPREAD * z_k,   z_k ~ N(0, 1)
 * with k*_g the gene's "correct" candidate. Keyed by the seed and the gene text only.
 */
export function competentDirection(seed: number, geneKey: number): Float64Array {
  const random = keyedRandom('competent', seed, geneKey);
  const u = new Float64Array(HEAD);
  for (let k = 0; k < HEAD; k++) u[k] = COMPETENT_SPREAD * normal(random);
  u[Math.floor(random() * HEAD)] += COMPETENT_SPIKE;
  return u;
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'sa',
  'ti',
  'vo',
  'be',
  'da',
  'fu',
  'go',
  'hi',
  'ju',
  'pe',
  'zo',
  'an',
  'el',
  'or',
  'un',
];

function word(random: () => number, syllables: number): string {
  let w = '';
  for (let i = 0; i < syllables; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
  return w;
}

/** HEAD completions for a gene, each 3 words, first words distinct in their first 4 letters. */
export function geneCandidates(seed: number, gene: string): string[] {
  const random = keyedRandom('candidates', seed, hashString(gene));
  return distinctCandidates(
    random,
    (first) => ` ${first} ${word(random, 1 + Math.floor(random() * 2))} ${word(random, 2)}`,
  );
}

/** HEAD texts `complete(first)`, each first word distinct from the others in its first 4 letters. */
function distinctCandidates(random: () => number, complete: (first: string) => string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < HEAD) {
    const first = word(random, 2 + Math.floor(random() * 2));
    if (seen.has(first.slice(0, 4))) continue;
    seen.add(first.slice(0, 4));
    out.push(complete(first));
  }
  return out;
}

/**
 * The zoo's text variants. `classic` (the default, and what every zoo figure so far is measured
 * on): each candidate opens with its own word, so the first 4 characters already tell the
 * candidates apart. `long-alleles`: the candidates open with a few shared chat openers and differ
 * only after them (geneOpenedCandidates), so the first 4 characters carry less than 12-16 do.
 */
export type ZooVariant = 'classic' | 'long-alleles';
export const ZOO_VARIANTS: readonly ZooVariant[] = ['classic', 'long-alleles'];

/**
 * Openers chat models use before the part of the answer that differs ("The", "Okay", "Sure",
 * "To solve", ...). Their lengths differ on purpose: after "The " the 4-character allele holds
 * nothing of the rest, after "So " one letter, after "To solve " even 8 characters hold nothing.
 */
export const OPENERS = ['The', 'So', 'Okay', 'Sure', 'To solve', 'Let me', 'Well', 'First'] as const;
/** openers per gene: its HEAD candidates share them, so 4 characters split them into at most this many alleles */
export const OPENERS_PER_GENE = 2;

/**
 * HEAD completions for a gene in the `long-alleles` variant: each opens with one of the gene's
 * OPENERS_PER_GENE openers (drawn from OPENERS) followed by a word distinct in its first 4
 * letters from every other candidate's, then two more words. Under the reference rule (4
 * characters) the candidates collapse into at most OPENERS_PER_GENE alleles (plus partial
 * letters after short openers); from about 12 characters on every candidate is its own allele.
 * Keyed apart from the classic candidates, so turning the variant on changes nothing else.
 */
export function geneOpenedCandidates(seed: number, gene: string): string[] {
  const random = keyedRandom('candidates-opened', seed, hashString(gene));
  const openers: string[] = [];
  while (openers.length < OPENERS_PER_GENE) {
    const opener = OPENERS[Math.floor(random() * OPENERS.length)];
    if (!openers.includes(opener)) openers.push(opener);
  }
  return distinctCandidates(random, (first) => {
    const opener = openers[Math.floor(random() * openers.length)];
    return ` ${opener} ${first} ${word(random, 1 + Math.floor(random() * 2))} ${word(random, 2)}`;
  });
}

/** The gene's HEAD candidates in the given variant. */
export function candidatesOf(variant: ZooVariant, seed: number, gene: string): string[] {
  return variant === 'long-alleles' ? geneOpenedCandidates(seed, gene) : geneCandidates(seed, gene);
}

/** A fresh tail completion for one sample. */
export function tailCompletion(random: () => number): string {
  return ` ${word(random, 2 + Math.floor(random() * 2))}${word(random, 1)} ${word(random, 2)}`;
}

function drift(seed: number, nodeId: string, geneKey: number, branchLength: number, out: Float64Array): void {
  const random = keyedRandom('drift', seed, nodeId, geneKey);
  const scale = SIGMA * Math.sqrt(branchLength);
  for (let k = 0; k < out.length; k++) out[k] += scale * normal(random);
}

/** Logits over HEAD candidates + the tail slot for one model, gene and mode. */
export function alleleLogits(
  seed: number,
  byId: Map<string, ZooNode>,
  model: string,
  mode: Mode,
  gene: string,
): Float64Array {
  const geneKey = hashString(gene);
  const logits = new Float64Array(HEAD + 1);
  const root = keyedRandom('root', seed, geneKey);
  // root: logit_k = -0.4 k + N(0, 1): a Zipf-like head with gene-specific order
  for (let k = 0; k < HEAD; k++) logits[k] = -0.4 * k + normal(root);
  logits[HEAD] = TAIL_LOGIT;
  for (const node of pathFromRoot(byId, model)) drift(seed, node.id, geneKey, node.branchLength, logits);
  // shared competence: every family's logits move along the same per-gene direction u_g as
  // capability rises, so capable models agree across families
  const u = competentDirection(seed, geneKey);
  const capability = byId.get(model)?.capability ?? 0;
  // a = COMPETENT_LIMIT tanh(c / COMPETENT_LIMIT): about c for ordinary models, bounded for extreme ones
  const along = COMPETENT_LIMIT * Math.tanh(capability / COMPETENT_LIMIT);
  for (let k = 0; k < HEAD; k++) logits[k] += along * u[k];
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
