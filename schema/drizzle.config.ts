import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: ['./schema/workspaces.ts', './schema/health.ts', './schema/surveys.ts', './schema/responses.ts', './schema/webhooks.ts', './schema/signature-links.ts', './schema/queued-votes.ts', './schema/members.ts', './schema/privacy.ts', './schema/reports.ts', './schema/followups.ts', './schema/review-clicks.ts'],
  out: './schema/migrations',
});
