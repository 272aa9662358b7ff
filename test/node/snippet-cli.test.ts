import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { testKeys } from '../contract/keys';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'clickback-snippet-cli-'));
const env = { ...process.env, DATABASE_URL: `file:${join(dir, 'cli.db')}`, PUBLIC_URL: 'https://feedback.example.com', ...testKeys() };
const cli = (...args: string[]) => run(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/cli.ts'), ...args], { cwd: dir, env });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run cli -- snippet', () => {
  // Several CLI runs, each a fresh process (1–3 s to start, more on a busy machine).
  it('prints the HTML to paste, the text version, or JSON; the same link each time', { timeout: 90_000 }, async () => {
    const ws = JSON.parse((await cli('workspace', 'create', 'Acme', '--json')).stdout).workspace.id as string;
    const survey = JSON.parse((await cli('survey', 'create', '--workspace', ws, '--name', 'CSAT', '--scale', 'csat3', '--question', 'How did we do?', '--translation', 'de=Wie war es?', '--json')).stdout);
    const html = (await cli('snippet', '--survey', survey.id, '--preset', 'zendesk-macro', '--style', 'emoji', '--agent', 'Maria')).stdout;
    expect(html).toMatch(/^<table role="presentation"/);
    expect(html).toContain('?t={{ticket.id}}&amp;e={{ticket.requester.email}}');
    expect(html).toContain('Maria would love to know.');
    const text = (await cli('snippet', '--survey', survey.id, '--preset', 'zendesk-macro', '--agent', 'Maria', '--locale', 'de', '--text')).stdout;
    expect(text).toContain('Wie war es?');
    expect(text).toMatch(/😀 Sehr gut: https:\/\/feedback\.example\.com\/s\/[^/]+\/3\?t=\{\{ticket\.id\}\}&e=/);
    const json = JSON.parse((await cli('snippet', '--survey', survey.id, '--preset', 'zendesk-macro', '--agent', 'Maria', '--json')).stdout);
    expect(json.links).toHaveLength(3);
    expect(html).toContain(json.links[0].url.replace(/&/g, '&amp;'));
  });

  it('refuses unknown presets and styles with the list of valid ones', async () => {
    await expect(cli('snippet', '--survey', 'sv_x', '--preset', 'zendesk')).rejects.toMatchObject({ stderr: expect.stringMatching(/--preset must be one of zendesk-macro, zendesk-signature/) });
    await expect(cli('snippet', '--survey', 'sv_x', '--style', 'svg')).rejects.toMatchObject({ stderr: expect.stringMatching(/--style must be one of emoji, image, text/) });
  });
});
