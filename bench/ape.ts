/**
 * R ape::nj on a matrix the benchmark also gives our NJ: timed inside R (reading the file is not
 * counted), its tree returned as Newick so the bench can check the topologies agree. Null (with
 * a printed reason) when Rscript or ape is missing or R fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function apeNj(
  distance: Float64Array,
  names: readonly string[],
  runs: number,
): { ms: number; newick: string } | null {
  if (spawnSync('Rscript', ['--version']).status !== 0) {
    process.stdout.write('R ape::nj: Rscript not installed, skipped\n');
    return null;
  }
  const n = names.length;
  const dir = mkdtempSync(join(tmpdir(), 'phylolm-bench-ape-'));
  try {
    const file = join(dir, 'd.bin');
    writeFileSync(join(dir, 'names.txt'), names.join('\n'));
    writeFileSync(file, Buffer.from(distance.buffer, distance.byteOffset, distance.byteLength));
    const script = `suppressMessages(library(ape));
      d <- matrix(readBin("${file}", "double", ${n * n}), ${n}, ${n});
      dimnames(d) <- list(readLines("${join(dir, 'names.txt')}"), readLines("${join(dir, 'names.txt')}"));
      t <- system.time(for (i in 1:${runs}) tree <- ape::nj(d))[["elapsed"]] / ${runs};
      write.tree(tree, "${join(dir, 'tree.nwk')}", digits = 15); cat(t * 1000)`;
    const out = spawnSync('Rscript', ['-e', script], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (out.status !== 0) {
      process.stdout.write(`R ape::nj failed or ape missing: ${out.stderr.slice(0, 200)}\n`);
      return null;
    }
    return { ms: Number(out.stdout), newick: readFileSync(join(dir, 'tree.nwk'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
