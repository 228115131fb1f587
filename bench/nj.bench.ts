/**
 * `BENCH=nj npm run bench`: neighbour joining at hub scale (issue 14). Targets:
 *   NJ on 2,000 taxa at least 3x faster than R ape::nj on the same matrix, in the same run;
 *   NJ on 10,000 taxa <= 60 s; 5,000 reported too, with the growth exponent (log-log fit).
 * Each size runs on a tree-like matrix (path lengths on a random tree, 20% noise, as Nei
 * matrices of related models look) and on a uniform one, where RapidNJ's bound prunes least.
 * The exhaustive search runs beside the bounded one at 1,000 and 2,000 taxa (and at 5,000 with
 * BENCH_NJ_EXHAUSTIVE_5000=1: minutes). BENCH_NJ_SIZES=1000,2000 picks other sizes.
 * Wall time is the figure; CPU time is printed beside it because the machine may be shared.
 */
import { createRandom } from '../src/core/random';
import { formatNewick, parseNewick } from '../src/core/format/newick';
import { neighborJoining } from '../src/core/tree/neighbor-joining';
import { robinsonFoulds } from '../src/core/tree/robinson-foulds';
import type { Tree } from '../src/core/tree/tree';
import { treeLikeMatrix, uniformMatrix } from '../test/core/helpers/nj-matrices';
import { apeNj } from './ape';
import { report } from './timing';

const KINDS = {
  'tree-like': (n: number) => treeLikeMatrix(n, createRandom(n), 0.2),
  uniform: (n: number) => uniformMatrix(n, createRandom(n)),
};

export async function benchNj(): Promise<void> {
  const sizes = (process.env.BENCH_NJ_SIZES ?? '1000,2000,5000,10000').split(',').map(Number);
  for (const [kind, make] of Object.entries(KINDS)) {
    process.stdout.write(`-- ${kind} matrices\n`);
    const wall: [number, number][] = [];
    const cpu: [number, number][] = [];
    for (const n of sizes) {
      const d = make(n);
      const names = Array.from({ length: n }, (_, k) => `t${k}`);
      const fast = timed(() => neighborJoining(d, names));
      const ape = n <= 2000 ? apeNj(d, names, 1) : null;
      const target = n === 10000 ? 60000 : ape ? Math.round(ape.ms / 3) : undefined;
      report(`NJ (bounded search), ${n} taxa [cpu ${fast.cpuMs.toFixed(0)} ms]`, fast.ms, target);
      wall.push([n, fast.ms]);
      cpu.push([n, fast.cpuMs]);
      if (n === Math.max(...sizes) && kind === 'tree-like') reportAnswerSize(fast.value);
      if (ape) {
        report(`R ape::nj, same ${n} taxa (ratio to ours ${(ape.ms / fast.ms).toFixed(1)}x, target >= 3x)`, ape.ms);
        const rf = robinsonFoulds(fast.value, parseNewick(ape.newick)).distance;
        process.stdout.write(`  Robinson-Foulds distance to ape::nj's tree: ${rf}\n`);
      }
      if (n <= 2000 || (n === 5000 && process.env.BENCH_NJ_EXHAUSTIVE_5000 === '1')) {
        const exhaustive = timed(() => neighborJoining(d, names, { search: 'exhaustive' }));
        report(`NJ (exhaustive search), ${n} taxa [cpu ${exhaustive.cpuMs.toFixed(0)} ms]`, exhaustive.ms);
        process.stdout.write(`  same tree as the bounded search: ${sameTree(fast.value, exhaustive.value)}\n`);
      }
    }
    if (wall.length >= 2) {
      process.stdout.write(
        `  growth exponent over ${sizes.join(', ')} taxa (log-log fit): wall ${slope(wall).toFixed(2)}, cpu ${slope(cpu).toFixed(2)}\n`,
      );
    }
  }
  const peak = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`peak resident memory of this process: ${peak.toFixed(0)} MB\n`);
}

/**
 * The size of a `tree { newick nodes { id parent model { id name } branchLength } }` answer for
 * this tree, as JSON (issue 14: a tree answer for 10,000 leaves stays within a few hundred MB).
 */
function reportAnswerSize(tree: Tree): void {
  const answer = JSON.stringify({
    data: {
      tree: {
        newick: formatNewick(tree),
        nodes: tree.nodes.map((node) => ({
          id: String(node.id),
          parent: node.parent === null ? null : String(node.parent),
          model: node.taxon === null ? null : { id: String(node.taxon + 1), name: node.name },
          branchLength: node.branchLength,
        })),
      },
    },
  });
  process.stdout.write(
    `  tree answer (newick and nodes) for ${tree.nodes.filter((n) => n.taxon !== null).length} leaves: ${(answer.length / 1e6).toFixed(1)} MB of JSON\n`,
  );
}

function timed(run: () => Tree): { ms: number; cpuMs: number; value: Tree } {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = run();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, value };
}

function sameTree(a: Tree, b: Tree): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Least-squares slope of log(ms) on log(n). */
function slope(points: [number, number][]): number {
  const xs = points.map(([n]) => Math.log(n));
  const ys = points.map(([, ms]) => Math.log(ms));
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, k) => {
    num += (x - mx) * (ys[k] - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}
