/** The SDL text of the API, as committed in `schema.graphql`. */
import { lexicographicSortSchema, printSchema } from 'graphql';
import { getSchema } from './schema';

const HEADER = '# Generated from the resolvers by `npm run schema:emit`; do not edit by hand.\n\n';

export async function printSchemaFile(): Promise<string> {
  // Sorted, so the file changes only when the API does, not when resolver order does.
  return `${HEADER}${printSchema(lexicographicSortSchema(await getSchema()))}\n`;
}
