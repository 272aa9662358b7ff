/**
 * Writes the OpenAPI 3.1 document of `/api/v1` to `openapi.json` at the repository root, from the
 * route definitions and zod schemas the API validates with (`worker/routes/api/contract.ts`). The
 * running service serves the same document at `GET /api/v1/openapi.json`.
 *
 *   npm run openapi:build           write openapi.json
 *   npm run openapi:check           exit 1 when openapi.json is stale (run by `npm test`)
 */
import { join, resolve } from 'node:path';
import { openApiDocument } from '../worker/routes/api/contract';
import { writeOrCheckGenerated } from './generated-file';

const ROOT = resolve(import.meta.dirname, '..');
/** The committed document. */
export const OPENAPI_FILE = join(ROOT, 'openapi.json');

/** The document's text as committed: two-space JSON and a final newline. */
export function openApiText(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}

function main() {
  writeOrCheckGenerated(OPENAPI_FILE, openApiText(), { check: process.argv.includes('--check'), label: 'openapi', buildCommand: 'npm run openapi:build' });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) main();
