/**
 * The gate (src/graphql/validation/gate.ts) as an Apollo Server plugin: authentication and the
 * cost model once the operation is known, before execution. (Parsing limits and validation
 * rules are given to Apollo as `parseOptions` and `validationRules`, see `gatedApolloOptions`.)
 */
import type { ApolloServerOptions, ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { Context } from '../graphql/context';
import { checkOperation, type GateOptions } from '../graphql/validation/gate';
import { recordOf } from './request-record';
import { gateParseOptions, gateValidationRules } from '../graphql/validation/rules';

export function gatePlugin(options: GateOptions): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, contextValue, operation, operationName }) {
          const record = recordOf(contextValue);
          if (record) {
            record.operation = operationName ?? undefined;
            record.operationType = operation?.operation;
          }
          const estimate = await checkOperation(
            schema,
            document,
            request.variables,
            request.operationName,
            contextValue,
            options,
          );
          if (record && estimate) record.cost = estimate.cost;
        },
      };
    },
  };
}

/**
 * The Apollo options every server of this schema uses, whatever carries its requests: the HTTP
 * front adds its drain plugins; the in-process test harness uses them as they are, so both
 * run the same gate, rules and error formatting.
 */
export function gatedApolloOptions(
  schema: GraphQLSchema,
  formatError: NonNullable<ApolloServerOptions<Context>['formatError']>,
  gate: GateOptions,
) {
  return {
    schema,
    formatError,
    // never, whatever NODE_ENV says: traces carry absolute server paths
    includeStacktraceInErrorResponses: false,
    plugins: [gatePlugin(gate)] as ApolloServerPlugin<Context>[],
    introspection: true,
    parseOptions: gateParseOptions(gate.limits),
    validationRules: gateValidationRules(gate.limits),
  } satisfies ApolloServerOptions<Context>;
}
