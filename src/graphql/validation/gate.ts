/**
 * The gate: what every operation must pass after validation and before any resolver runs, on
 * every transport (Apollo over HTTP through src/server/gate-plugin.ts, graphql-ws through
 * src/server/websocket.ts):
 *
 * 1. the admin token for mutations (PHYLOLM_ADMIN_TOKEN): UNAUTHENTICATED otherwise;
 * 2. the cost model over the whole operation with its variables (cost.ts): QUERY_TOO_COSTLY with
 *    the estimate, the limit and the main contributors when it is over PHYLOLM_MAX_QUERY_COST, or
 *    when it would call provider APIs more than PHYLOLM_MAX_PROVIDER_CALLS times.
 *
 * Parsing and the validation rules (depth, aliases, tokens, directives) are in rules.ts.
 */
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
} from 'graphql';
import { bearerMatches, type Context } from '../context';
import { queryTooCostly, unauthenticated } from '../errors';
import { estimateCost, type CostEstimate } from './cost';
import { loadCostFigures } from './figures';
import type { QueryLimits } from './limits';

export interface GateOptions {
  limits: QueryLimits;
  /** when set, every mutation needs `Bearer <token>` */
  adminToken?: string;
}

/**
 * Throws the GraphQL error that refuses the operation (UNAUTHENTICATED, QUERY_TOO_COSTLY, or
 * OPERATION_RESOLUTION_FAILURE when the document has no operation by that name), or returns its
 * estimate. An operation whose variables do not coerce is left to the executor, which reports
 * that without running anything.
 */
export async function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  operationName: string | null | undefined,
  context: Context,
  options: GateOptions,
): Promise<CostEstimate | undefined> {
  const operation = getOperationAST(document, operationName ?? undefined);
  // Apollo refuses these itself before the gate; graphql-ws would leave them to the executor,
  // whose error carries no code (and so would be masked as an internal one).
  if (!operation) throw operationNotFound(operationName);
  if (options.adminToken && operation.operation === 'mutation') {
    if (!bearerMatches(context.authorization, options.adminToken)) {
      throw unauthenticated('mutations need "Authorization: Bearer <PHYLOLM_ADMIN_TOKEN>"');
    }
  }
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], { ...(variables ?? {}) });
  if (coerced.errors) return undefined;
  const figures = await loadCostFigures(context.services, schema, document, coerced.coerced);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const estimate = estimateCost(schema, fragments, operation, coerced.coerced, figures);
  refuseOverLimits(estimate, options.limits, figures.providers.configured);
  return estimate;
}

function refuseOverLimits(estimate: CostEstimate, limits: QueryLimits, configuredProviders: number): void {
  const main = estimate.contributors
    .map((c) => `${c.field} ${format(c.cost)}${c.detail ? ` (${c.detail})` : ''}`)
    .join(', ');
  const figures = {
    cost: finite(estimate.cost),
    limit: limits.maxCost,
    providerCalls: finite(estimate.providerCalls),
    contributors: estimate.contributors.map((c) => ({ ...c, cost: finite(c.cost) })),
  };
  // one full listing of the configured providers is always allowed
  const callLimit = Math.max(limits.maxProviderCalls, configuredProviders);
  if (estimate.providerCalls > callLimit) {
    throw queryTooCostly(
      `the operation would call provider APIs ${format(estimate.providerCalls)} times; at most ${callLimit} ` +
        `are allowed per operation (PHYLOLM_MAX_PROVIDER_CALLS)`,
      { ...figures, providerCallLimit: callLimit },
    );
  }
  if (estimate.cost > limits.maxCost) {
    throw queryTooCostly(
      `the operation's estimated cost is ${format(estimate.cost)}, over the limit of ${format(limits.maxCost)} ` +
        `(PHYLOLM_MAX_QUERY_COST, about a microsecond of work each); main contributors: ${main}`,
      figures,
    );
  }
}

function finite(value: number): number {
  return Number.isFinite(value) ? Math.min(value, Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER;
}

function format(value: number): string {
  return Number.isFinite(value) && value < 1e15 ? Math.round(value).toLocaleString('en-US') : 'more than 1e15';
}

/** Anything thrown on the way, as a GraphQL error (unexpected ones are masked by formatError). */
export function asGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const original = error instanceof Error ? error : new Error(String(error));
  return new GraphQLError(original.message, { originalError: original });
}

/** The messages graphql-js's executor gives, with the code Apollo gives them over HTTP. */
function operationNotFound(operationName: string | null | undefined): GraphQLError {
  const message =
    operationName == null
      ? 'Must provide operation name if query contains multiple operations.'
      : `Unknown operation named "${operationName}".`;
  return new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } });
}
