import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * Writes a generated artifact, or with `check` exits 1 when the committed one differs from `text`
 * (the `*:check` scripts `npm test` runs, so a stale artifact never lands).
 */
export function writeOrCheckGenerated(file: string, text: string, options: { check: boolean; label: string; buildCommand: string }): void {
  const name = relative(ROOT, file);
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = '';
  }
  if (options.check) {
    if (current !== text) {
      console.error(`${name} is stale: run \`${options.buildCommand}\` and commit the result.`);
      process.exit(1);
    }
    console.log(`${options.label}: ${name} is up to date`);
    return;
  }
  if (current !== text) writeFileSync(file, text);
  console.log(`${options.label}: wrote ${name}`);
}
