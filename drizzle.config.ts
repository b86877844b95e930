import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './api/storage/schema.ts',
  out: './api/storage/migrations',
});
