/**
 * The gate (src/graphql/validation/gate.ts) as an Apollo Server plugin: authentication and the
 * cost model once the operation is known, before execution. (Parsing limits and validation
 * rules are given to Apollo as `parseOptions` and `validationRules`, see http-server.ts.)
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../graphql/context';
import { checkOperation, type GateOptions } from '../graphql/validation/gate';

export function gatePlugin(options: GateOptions): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, contextValue }) {
          await checkOperation(schema, document, request.variables, request.operationName, contextValue, options);
        },
      };
    },
  };
}
