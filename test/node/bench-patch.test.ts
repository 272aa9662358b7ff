import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

// `npm run bench:classification` measures the capture path without classification by applying this
// patch to a worktree of HEAD: it must keep applying as the code moves on.
it('scripts/ab/no-classification.patch still applies to the working tree', () => {
  expect(() => execFileSync('git', ['apply', '--check', 'scripts/ab/no-classification.patch'], { cwd: root, stdio: 'pipe' })).not.toThrow();
});
