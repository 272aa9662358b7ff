import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { testKeys } from '../contract/keys';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'clickback-cli-'));
const env = { ...process.env, DATABASE_URL: `file:${join(dir, 'cli.db')}`, PUBLIC_URL: 'https://feedback.example.com', ...testKeys() };

function cli(...args: string[]) {
  return run(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/cli.ts'), ...args], { cwd: dir, env });
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run cli', () => {
  it('explains every command in --help', async () => {
    const { stdout } = await cli('--help');
    for (const command of ['workspace create', 'key create', 'survey create', 'links', 'responses', 'keys generate']) expect(stdout).toContain(command);
  });

  it('creates a workspace, a survey and links, and lists responses, against DATABASE_URL', async () => {
    const created = JSON.parse((await cli('workspace', 'create', 'Acme', 'Support', '--json')).stdout);
    expect(created).toEqual({ workspace: { id: expect.stringMatching(/^ws_/), name: 'Acme Support' }, apiKey: expect.stringMatching(/^cbk_/) });
    const ws = created.workspace.id;
    const survey = JSON.parse((await cli('survey', 'create', '--workspace', ws, '--name', 'CSAT', '--scale', 'csat3', '--question', 'How did we do?', '--translation', 'it=Com’è andata?', '--json')).stdout);
    expect(survey).toMatchObject({ scale: 'csat3', translations: { it: 'Com’è andata?' } });
    const links = JSON.parse((await cli('links', '--workspace', ws, '--survey', survey.id, '--subject', 'T-9', '--recipient', 'a@example.com', '--json')).stdout);
    expect(links.links).toHaveLength(3);
    expect(links.links[0].url).toMatch(/^https:\/\/feedback\.example\.com\/r\/[\w.-]+\/1$/);
    const responses = JSON.parse((await cli('responses', '--workspace', ws, '--json')).stdout);
    expect(responses).toEqual({ data: [], next: null });
  });

  it('fails clearly on bad input', async () => {
    await expect(cli('survey', 'create', '--name', 'x', '--scale', 'stars', '--question', 'q')).rejects.toMatchObject({ stderr: expect.stringMatching(/error: (--scale must be one of|several workspaces)/) });
    await expect(cli('frobnicate')).rejects.toMatchObject({ stderr: expect.stringContaining('unknown command') });
  });

  it('generates fresh key rings', async () => {
    const { stdout } = await cli('keys', 'generate');
    expect(stdout).toMatch(/^LINK_KEYS=\w+:[\w-]{43}\nFORM_KEYS=\w+:[\w-]{43}\n?$/);
  });
});
