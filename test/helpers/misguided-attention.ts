/**
 * The real-data fixture: outputs of 59 LLMs on 52 prompts (MisguidedAttention, CC0; see
 * test/fixtures/misguided-attention/README.md), read as GraphQL inputs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths';

// From the project root, so the compiled copy (dist/test/helpers, used by the load script) finds it too.
export const fixtureDir = join(projectRoot, 'test', 'fixtures', 'misguided-attention');

export interface FixtureModel {
  name: string;
  family: string;
  file: string;
  score: number | null;
}

const jsonl = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

export function fixtureGenes(): { id: string; text: string }[] {
  return jsonl<{ gene_id: string; prompt: string }>(join(fixtureDir, 'genes.jsonl')).map((g) => ({
    id: g.gene_id,
    text: g.prompt,
  }));
}

export function fixtureModels(): FixtureModel[] {
  const [header, ...lines] = readFileSync(join(fixtureDir, 'models.csv'), 'utf8').trim().split(/\r?\n/);
  const columns = header.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    const get = (name: string) => cells[columns.indexOf(name)];
    const score = get('score_mean_judge');
    return { name: get('model'), family: get('family_guess'), file: get('file'), score: score ? Number(score) : null };
  });
}

export function fixtureCompletions(model: FixtureModel, geneIndex: Map<string, number>) {
  return jsonl<{ gene_id: string; sample_idx: number; completion: string }>(join(fixtureDir, model.file)).map((c) => ({
    gene: geneIndex.get(c.gene_id)!,
    sample: c.sample_idx,
    text: c.completion,
  }));
}

/** The independent Python computation (make-expected.py) for an allele length of 4 or 1. */
export function expectedSimilarity(alleleLength: 4 | 1 = 4): { models: string[]; similarity: number[][] } {
  const file = alleleLength === 4 ? 'expected-nei.json' : `expected-nei-k${alleleLength}.json`;
  return JSON.parse(readFileSync(join(fixtureDir, file), 'utf8'));
}

/**
 * model name -> score_mean_judge (empty for QwQ-32b-16k). Read here because models.csv has CRLF
 * line ends, which leave `fixtureModels().score` null (its last column name keeps the "\r").
 */
export function judgeScores(): Map<string, string> {
  const [header, ...lines] = readFileSync(join(fixtureDir, 'models.csv'), 'utf8').trim().split(/\r?\n/);
  const at = header.split(',').indexOf('score_mean_judge');
  return new Map(lines.map((line) => [line.split(',')[0], line.split(',')[at]]));
}
