/**
 * The limits every GraphQL operation is held to, on HTTP and graphql-ws alike (README,
 * "Security"). Each has an environment variable (src/config.ts).
 */
export interface QueryLimits {
  /** deepest selection nesting (PHYLOLM_MAX_QUERY_DEPTH) */
  maxDepth: number;
  /** lexical tokens in a document (PHYLOLM_MAX_TOKENS) */
  maxTokens: number;
  /** aliases in an operation, fragments included (PHYLOLM_MAX_ALIASES) */
  maxAliases: number;
  /** directives in an operation, fragments included (PHYLOLM_MAX_DIRECTIVES) */
  maxDirectives: number;
  /** estimated cost of one operation, in units of about a microsecond of work (PHYLOLM_MAX_QUERY_COST) */
  maxCost: number;
  /** provider API calls one operation may cause (PHYLOLM_MAX_PROVIDER_CALLS) */
  maxProviderCalls: number;
  /** nesting of a request's JSON (variables, extensions) (PHYLOLM_MAX_JSON_DEPTH) */
  maxJsonDepth: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  // a tree's nodes' models' scores is 5 deep; 12 leaves room and still stops the cyclic
  // models -> scores -> model -> scores ... bombs
  maxDepth: 12,
  maxTokens: 5_000,
  maxAliases: 100,
  maxDirectives: 50,
  // about 10 s of estimated work: a 1,000-model matrix (about 2.4 M) or 100 bootstrap replicates
  // of 141 models (about 4.6 M) fit; tree(bootstrap: 3200) on 25 models (about 13 M) does not
  maxCost: 10_000_000,
  maxProviderCalls: 8,
  // our deepest input type nests 3 levels; JSON.stringify recurses, so bound it well below the stack
  maxJsonDepth: 64,
};
