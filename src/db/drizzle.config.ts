/** drizzle-kit configuration: `npm run db:generate` writes SQL migrations from `schema.ts`. */
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './migrations',
});
