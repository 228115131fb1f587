/**
 * Descriptions of the arguments that name a model or a genome. Their type stays `ID` (the
 * contract), and each takes a name too, by the rule in src/services/reference.ts.
 */
export const MODEL_REFERENCE = 'a model id or name ("name:<name>" is always a name)';
export const GENOME_REFERENCE = 'a genome id or name ("name:<name>" is always a name)';
export const MODEL_REFERENCES = 'model ids or names ("name:<name>" is always a name)';
