/**
 * The data-dependent numbers of the cost model, read through the services: for each genome an
 * operation names, its gene count and how many models have samples on it; the number of
 * benchmarks, genomes and providers. Only what the document asks about is read (one pass over
 * the document, fragments once each), so a plain query costs no extra database reads.
 */
import { getArgumentValues, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Services } from '../../services';
import type { CostFigures, GenomeFigures } from './cost';

/** Root fields whose cost depends on a genome's size, and where their genome id is. */
const GENOME_ARGUMENT: Record<string, (args: Record<string, unknown>) => unknown> = {
  distanceMatrix: (args) => args.genome,
  tree: (args) => args.genome,
  prediction: (args) => args.genome,
  predictionEvaluation: (args) => args.genome,
  probingEstimate: (args) => (args.input as { genome?: unknown } | undefined)?.genome,
};

interface Needs {
  genomeIds: Set<string>;
  benchmarks: boolean;
  genomes: boolean;
}

function needsOf(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): Needs {
  const needs: Needs = { genomeIds: new Set(), benchmarks: false, genomes: false };
  const typeInfo = new TypeInfo(schema);
  const queryType = schema.getQueryType();
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const definition = typeInfo.getFieldDef();
        if (!definition) return;
        if (parent?.name === 'Model' && node.name.value === 'scores') needs.benchmarks = true;
        if (parent !== queryType) return;
        if (node.name.value === 'genomes') needs.genomes = true;
        const genomeOf = GENOME_ARGUMENT[node.name.value];
        if (!genomeOf) return;
        try {
          const id = genomeOf(getArgumentValues(definition, node, variables));
          if (typeof id === 'string') needs.genomeIds.add(id);
        } catch {
          // invalid arguments: execution reports them
        }
      },
    }),
  );
  return needs;
}

export async function loadCostFigures(
  services: Services,
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
): Promise<CostFigures> {
  const needs = needsOf(schema, document, variables);
  const genomes = new Map<string, GenomeFigures>();
  for (const id of needs.genomeIds) {
    // an unknown or malformed id costs nothing here: the resolver answers NOT_FOUND / BAD_USER_INPUT
    const row = await services.genomes.get(id).catch(() => undefined);
    if (!row) continue;
    const revisions = await services.populations.revisions(row.id);
    genomes.set(id, { geneCount: row.geneCount, modelsWithSamples: revisions.length });
  }
  const providers = services.registry.list();
  return {
    genome: (id) => genomes.get(id),
    benchmarks: needs.benchmarks ? (await services.scores.benchmarks()).length : 0,
    genomes: needs.genomes ? (await services.genomes.list()).length : 0,
    providers: { total: providers.length, configured: providers.filter((p) => p.configured).length },
    builtinGenomes: services.genomes.builtins().length,
  };
}
