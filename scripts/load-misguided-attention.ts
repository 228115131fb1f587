/**
 * Loads the real-data fixture (59 LLMs x 52 prompts, MisguidedAttention, CC0) into a running
 * server through its GraphQL API, as any client would:
 *   npm run build && node dist/scripts/load-misguided-attention.js [http://127.0.0.1:4000/graphql]
 * Set PHYLOLM_ADMIN_TOKEN if the server requires it. Safe to run twice: samples carry their
 * indices, so a second run skips what is already stored.
 */
import { fixtureCompletions, fixtureGenes, fixtureModels } from '../test/helpers/misguided-attention';

const url = process.argv[2] ?? 'http://127.0.0.1:4000/graphql';
const token = process.env.PHYLOLM_ADMIN_TOKEN;

async function gql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data as T;
}

async function main(): Promise<void> {
  const genes = fixtureGenes();
  const existing = await gql<{ genome: { id: string } | null }>(
    `query { genome(name: "misguided-attention") { id } }`,
    {},
  );
  const genomeId =
    existing.genome?.id ??
    (
      await gql<{ createGenome: { id: string } }>(
        `mutation ($input: CreateGenomeInput!) { createGenome(input: $input) { id } }`,
        { input: { name: 'misguided-attention', genes: genes.map((g) => g.text) } },
      )
    ).createGenome.id;
  const geneIndex = new Map(genes.map((g, i) => [g.id, i]));
  for (const model of fixtureModels()) {
    const found = await gql<{ model: { id: string } | null }>(`query ($name: String) { model(name: $name) { id } }`, {
      name: model.name,
    });
    const modelId =
      found.model?.id ??
      (
        await gql<{ registerModel: { id: string } }>(
          `mutation ($input: RegisterModelInput!) { registerModel(input: $input) { id } }`,
          { input: { name: model.name, provider: 'external', family: model.family, mode: 'CHAT' } },
        )
      ).registerModel.id;
    const result = await gql<{ importCompletions: { accepted: number; rejected: number } }>(
      `mutation ($input: ImportCompletionsInput!) { importCompletions(input: $input) { accepted rejected } }`,
      { input: { model: modelId, genome: genomeId, completions: fixtureCompletions(model, geneIndex) } },
    );
    process.stdout.write(`${model.name}: ${result.importCompletions.accepted} new samples\n`);
  }
  process.stdout.write(
    `genome "misguided-attention" is ${genomeId}; try: { tree(genome: "${genomeId}") { newick } }\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
