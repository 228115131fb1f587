/**
 * The simulated zoo: a known tree of 25 models in 5 families, used to test PhyloLM end to end
 * offline. The tree is root -> family ancestors -> base models -> fine-tunes, with branch
 * lengths drawn from the seed. Two traits evolve along it by Brownian motion (increments
 * N(0, sigma^2 * branchLength), so variance grows linearly with distance, the standard
 * neutral-drift model of Felsenstein 1985, Am Nat 125:1):
 * - per gene, the logits of a handful of completions (the alleles), so relatives' allele
 *   distributions are more alike than strangers';
 * - a latent capability, mapped to six benchmark scores through a sigmoid, so phylogeny
 *   predicts scores as the paper reports for real models.
 * Capability also pulls each model's allele logits along a per-gene direction shared by every
 * family (alleles.ts, "shared competence"), so capable models of different families answer
 * alike; without it nothing about one family's scores could be learnt from the others.
 */
import type { Mode } from '../../src/providers/provider';
import { keyedRandom, normal } from '../../src/core/random';

export const BENCHMARKS = ['ARC', 'HellaSwag', 'MMLU', 'TruthfulQA', 'Winogrande', 'GSM8K'] as const;
export type Benchmark = (typeof BENCHMARKS)[number];

export interface ZooModel {
  id: string;
  family: string;
  parent: string;
  mode: Mode;
}

export interface ZooNode {
  id: string;
  parent: string | null;
  family: string | null;
  branchLength: number;
  /** false for ancestors, which exist only as internal nodes */
  sampled: boolean;
  mode: Mode;
  /** latent capability, a Brownian trait along the tree (0 at the root) */
  capability: number;
}

export interface SimulatedZoo {
  models: ZooModel[];
  /** the generating tree; fine-tuned base models appear as a leaf at distance 0 under their own internal node */
  trueTreeNewick: string;
  scores: Record<string, Record<Benchmark, number>>;
  /** each model's latent capability (the trait behind its scores and its competent alleles) */
  capability: Record<string, number>;
}

/** family -> base model -> its fine-tunes (chat/instruct ones are CHAT models) */
const LAYOUT: Record<string, Record<string, string[]>> = {
  llama: { 'llama-2-7b': ['llama-2-7b-chat'], 'llama-3-8b': ['llama-3-8b-instruct', 'llama-3-8b-code'] },
  mistral: { 'mistral-7b': ['mistral-7b-instruct', 'zephyr-7b'], 'mixtral-8x7b': ['mixtral-8x7b-instruct'] },
  qwen: { 'qwen-1.5-7b': ['qwen-1.5-7b-chat'], 'qwen-2-7b': ['qwen-2-7b-instruct', 'qwen-2-math-7b'] },
  gemma: { 'gemma-2b': ['gemma-2b-it'], 'gemma-7b': ['gemma-7b-it', 'gemma-7b-code'] },
  gpt: { 'gpt-j-6b': ['gpt-j-6b-instruct'], 'gpt-neox-20b': ['gpt-neox-20b-chat', 'pythia-12b-deduped'] },
};

export const ROOT_ID = 'root-ancestor';

const isChatName = (id: string): boolean => /chat|instruct|-it$|zephyr/.test(id);

/** Branch-length ranges by depth: families split deep, fine-tunes sit close to their base. */
const BRANCH = { family: [0.8, 1.4], base: [0.25, 0.6], finetune: [0.05, 0.2] } as const;

/** All nodes, parents before children. Pure function of the seed. */
export function zooNodes(seed: number): ZooNode[] {
  const random = keyedRandom('zoo-branches', seed);
  const length = ([lo, hi]: readonly [number, number]): number => lo + (hi - lo) * random();
  const nodes: ZooNode[] = [
    { id: ROOT_ID, parent: null, family: null, branchLength: 0, sampled: false, mode: 'COMPLETION', capability: 0 },
  ];
  for (const [family, bases] of Object.entries(LAYOUT)) {
    const ancestor = `${family}-ancestor`;
    nodes.push({
      id: ancestor,
      parent: ROOT_ID,
      family,
      branchLength: length(BRANCH.family),
      sampled: false,
      mode: 'COMPLETION',
      capability: 0,
    });
    for (const [base, fineTunes] of Object.entries(bases)) {
      nodes.push({
        id: base,
        parent: ancestor,
        family,
        branchLength: length(BRANCH.base),
        sampled: true,
        mode: 'COMPLETION',
        capability: 0,
      });
      for (const ft of fineTunes) {
        const mode: Mode = isChatName(ft) ? 'CHAT' : 'COMPLETION';
        nodes.push({
          id: ft,
          parent: base,
          family,
          branchLength: length(BRANCH.finetune),
          sampled: true,
          mode,
          capability: 0,
        });
      }
    }
  }
  addCapabilities(seed, nodes);
  return nodes;
}

/** Node ids from the root's child down to `id` (the branches whose drift `id` inherits). */
export function pathFromRoot(byId: Map<string, ZooNode>, id: string): ZooNode[] {
  const path: ZooNode[] = [];
  for (let node = byId.get(id); node && node.parent !== null; node = byId.get(node.parent)) path.push(node);
  return path.reverse();
}

// Capability drift: sigma per unit branch length.
const CAPABILITY_SIGMA = 0.9;

/** Per benchmark: slope and offset of the logit; GSM8K is hard, HellaSwag easy, TruthfulQA flat. */
const BENCHMARK_LINK: Record<Benchmark, { slope: number; offset: number }> = {
  ARC: { slope: 1.0, offset: 0.0 },
  HellaSwag: { slope: 0.8, offset: 1.0 },
  MMLU: { slope: 1.1, offset: -0.3 },
  TruthfulQA: { slope: 0.5, offset: -0.2 },
  Winogrande: { slope: 0.6, offset: 0.9 },
  GSM8K: { slope: 1.4, offset: -1.5 },
};

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Fills in `capability` (nodes come parents first). */
function addCapabilities(seed: number, nodes: ZooNode[]): void {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const node of nodes) {
    if (node.parent === null) continue;
    // c(child) = c(parent) + N(0, sigma^2 * branchLength)
    const step = normal(keyedRandom('capability', seed, node.id)) * CAPABILITY_SIGMA * Math.sqrt(node.branchLength);
    node.capability = (byId.get(node.parent)?.capability ?? 0) + step;
  }
}

function benchmarkScores(seed: number, id: string, capability: number): Record<Benchmark, number> {
  const out = {} as Record<Benchmark, number>;
  for (const b of BENCHMARKS) {
    const { slope, offset } = BENCHMARK_LINK[b];
    // score = sigmoid(slope * c + offset + eps), eps ~ N(0, 0.1^2): measurement noise
    const eps = 0.1 * normal(keyedRandom('score-noise', seed, id, b));
    out[b] = sigmoid(slope * capability + offset + eps);
  }
  return out;
}

function newick(nodes: ZooNode[]): string {
  const children = new Map<string, ZooNode[]>();
  for (const n of nodes) if (n.parent !== null) children.set(n.parent, [...(children.get(n.parent) ?? []), n]);
  const len = (x: number): string => String(Number(x.toFixed(6)));
  const write = (node: ZooNode): string => {
    const kids = children.get(node.id) ?? [];
    const edge = node.parent === null ? '' : `:${len(node.branchLength)}`;
    if (kids.length === 0) return `${node.id}${edge}`;
    const inner = kids.map(write);
    // A sampled model with descendants is a sampled ancestor: a zero-length leaf of its own node.
    if (node.sampled) return `(${node.id}:0,${inner.join(',')})${edge}`;
    return `(${inner.join(',')})${node.id}${edge}`;
  };
  return `${write(nodes[0])};`;
}

/** The zoo for a seed: models with lineage, the true tree, and benchmark scores in [0, 1]. */
export function simulatedZoo(seed = 0): SimulatedZoo {
  const nodes = zooNodes(seed);
  const sampled = nodes.filter((n) => n.sampled);
  const scores: Record<string, Record<Benchmark, number>> = {};
  for (const n of sampled) scores[n.id] = benchmarkScores(seed, n.id, n.capability);
  return {
    models: sampled.map((n) => ({ id: n.id, family: n.family ?? '', parent: n.parent ?? ROOT_ID, mode: n.mode })),
    trueTreeNewick: newick(nodes),
    scores,
    capability: Object.fromEntries(sampled.map((n) => [n.id, n.capability])),
  };
}
