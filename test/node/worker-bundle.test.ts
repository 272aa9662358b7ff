import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

describe('Worker bundle', () => {
  it('builds with `wrangler deploy --dry-run` and contains no Node-only module', async () => {
    const out = mkdtempSync(join(tmpdir(), 'clickback-bundle-'));
    try {
      await promisify(execFile)(join(root, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', out], {
        cwd: root,
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1' },
      });
      const bundle = readFileSync(join(out, 'entry-workers.js'), 'utf8');
      // nodejs_compat is on for one module: node:crypto's scrypt (the team app's passwords), which
      // workerd implements natively. Any other Node import would be a polyfill or a failure at runtime.
      const nodeImports = [...bundle.matchAll(/from\s*["'](node:[\w/]+)["']/g)].map((m) => m[1]);
      expect(new Set(nodeImports)).toEqual(new Set(['node:crypto']));
      expect(bundle).not.toMatch(/require\(["'](node:)?(fs|path|net|child_process)["']\)/);
      expect(bundle).not.toMatch(/libsql-(linux|darwin|win32)|\.node["']/);
      expect(bundle).toContain('v3/pipeline'); // @libsql/client/web's HTTP protocol is in
      // Survey emails arrive precompiled (scripts/build-emails.ts); MJML itself stays out.
      expect(bundle).toContain('@@SCALE_ROW@@');
      expect(bundle).not.toMatch(/mjml-core|mjml-validator|mjml-parser-xml|juice/);
      // The budget of the team app issue: 500 KB gzipped (about 300 KB with the API's zod schemas).
      const gzipped = gzipSync(bundle).length;
      expect(gzipped, `${Math.round(gzipped / 1024)} KB gzipped`).toBeLessThanOrEqual(500 * 1024);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
