/**
 * Parsing and validation shared by every transport: graphql-js's specified rules, our depth
 * limit, graphql-armor's alias and directive limits (Escape Technologies,
 * github.com/Escape-Technologies/graphql-armor), and a token limit. Apollo gets
 * `gateValidationRules` and `parseOptions`; graphql-ws calls the function `parserAndValidator` makes.
 *
 * Tokens: graphql-armor's max-tokens is a parser for envelop's parse hook, which Apollo Server
 * lacks (a plugin that throws while parsing becomes a 500 there). graphql-js 16 counts lexer
 * tokens itself (`maxTokens`, the same technique), and Apollo passes `parseOptions` to it, so
 * both transports use that one and give the same GRAPHQL_PARSE_FAILED answer.
 */
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { maxDepthRule } from './depth';
import type { QueryLimits } from './limits';

/**
 * graphql-armor's rules throw by default, which would abort graphql-js's validation with an
 * exception; reporting through the context makes them ordinary validation errors instead.
 */
const report = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

/** Our rules, run after graphql-js's specified ones. */
export function gateValidationRules(limits: QueryLimits): ValidationRule[] {
  return [
    maxDepthRule(limits.maxDepth),
    maxAliasesRule({ n: limits.maxAliases, ...report }) as unknown as ValidationRule,
    maxDirectivesRule({ n: limits.maxDirectives, ...report }) as unknown as ValidationRule,
  ];
}

/** What Apollo and graphql-ws both parse with. */
export function gateParseOptions(limits: QueryLimits): ParseOptions {
  return { maxTokens: limits.maxTokens };
}

/** Parses under the token limit; throws a GraphQLError (syntax or token limit). */
function parseDocument(source: string, limits: QueryLimits): DocumentNode {
  return parse(source, gateParseOptions(limits));
}

export type Parsed = { document: DocumentNode } | { errors: GraphQLError[] };

/**
 * Parse then validate, with the codes Apollo gives the same failures over HTTP
 * (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED). The rules are built once, as Apollo's are,
 * not for every operation.
 */
export function parserAndValidator(schema: GraphQLSchema, limits: QueryLimits): (source: string) => Parsed {
  const rules = [...specifiedRules, ...gateValidationRules(limits)];
  return (source) => parseAndValidate(schema, source, limits, rules);
}

function parseAndValidate(
  schema: GraphQLSchema,
  source: string,
  limits: QueryLimits,
  rules: readonly ValidationRule[],
): Parsed {
  let document: DocumentNode;
  try {
    document = parseDocument(source, limits);
  } catch (error) {
    const message = error instanceof GraphQLError ? error.message : 'the query could not be parsed';
    const nodes = error instanceof GraphQLError ? { source: error.source, positions: error.positions } : {};
    return { errors: [new GraphQLError(message, { ...nodes, extensions: { code: 'GRAPHQL_PARSE_FAILED' } })] };
  }
  const errors = validate(schema, document, rules);
  if (errors.length > 0) {
    return {
      errors: errors.map(
        (e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
      ),
    };
  }
  return { document };
}
