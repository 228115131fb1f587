/** Readers for the oracle fixtures in test/fixtures/oracles (see its README). */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ORACLES = join(__dirname, '..', '..', 'fixtures', 'oracles');

export function fixturePath(...parts: string[]): string {
  return join(ORACLES, ...parts);
}

export function listFixtures(folder: string, suffix: string): string[] {
  return readdirSync(fixturePath(folder))
    .filter((f) => f.endsWith(suffix))
    .sort();
}

export function readText(...parts: string[]): string {
  return readFileSync(fixturePath(...parts), 'utf8');
}

/** CSV matrix with a header row of names (written by gen_inputs.py with full precision). */
export function readCsvMatrix(text: string): { names: string[]; d: number[][] } {
  const [header, ...rows] = text.trim().split('\n');
  return { names: header.split(','), d: rows.map((row) => row.split(',').map(Number)) };
}

/** PHYLIP square distance output (gendist outfile): names and the n x n values. */
export function readPhylipSquare(text: string): { names: string[]; d: number[][] } {
  const tokens = text.trim().split(/\s+/);
  const n = Number(tokens[0]);
  const names: string[] = [];
  const d: number[][] = [];
  let k = 1;
  for (let i = 0; i < n; i++) {
    names.push(tokens[k++]);
    d.push(tokens.slice(k, k + n).map(Number));
    k += n;
  }
  return { names, d };
}

/** True when `command args` runs and exits 0 (used to skip live-oracle tests cleanly). */
export function hasCommand(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}

export function randomMatrix(n: number, random: () => number): number[][] {
  const d = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) d[i][j] = d[j][i] = 0.05 + random();
  return d;
}
