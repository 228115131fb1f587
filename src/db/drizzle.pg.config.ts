/** drizzle-kit configuration for PostgreSQL: `npm run db:generate:pg` writes `migrations/pg/` from `pg-schema.ts`. */
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/pg-schema.ts',
  out: './migrations/pg',
});
