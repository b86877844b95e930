import { defineConfig } from 'drizzle-kit';

// PostgreSQL migrations (DATABASE_URL=postgres://… selects the PostgreSQL store).
export default defineConfig({
  dialect: 'postgresql',
  schema: './api/storage/schema-pg.ts',
  out: './api/storage/migrations-pg',
});
