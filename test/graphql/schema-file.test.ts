import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSchemaFile } from '../../src/graphql/print-schema';

describe('schema.graphql', () => {
  it('is exactly the schema the code builds (run `npm run schema:emit` after changing the API)', async () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8');
    expect(committed).toBe(await printSchemaFile());
  });
});
