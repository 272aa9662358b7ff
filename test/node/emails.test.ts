import { readFileSync } from 'node:fs';
import mjml2html from 'mjml';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaces } from '../../schema';
import { generate, GENERATED } from '../../scripts/build-emails';
import { insertSurvey } from '../../worker/db/surveys';
import { createWorkspace } from '../../worker/db/workspaces';
import { LINE_BREAKING } from '../../worker/lib/fields';
import { headerText } from '../../worker/services/emails';
import { Api } from '../contract/client';
import { startNodeHarness } from './harness';

describe('emails/', () => {
  it('every MJML source passes strict validation without warnings', async () => {
    const source = readFileSync(new URL('../../emails/survey.mjml', import.meta.url), 'utf8');
    const soft = await mjml2html(source, { validationLevel: 'soft' });
    expect(soft.errors.map((e) => e.formattedMessage)).toEqual([]);
    // Strict throws on any problem.
    await expect(mjml2html(source, { validationLevel: 'strict' })).resolves.toBeTruthy();
  });

  it('the generated module is what the sources compile to (npm run emails:check)', async () => {
    expect(readFileSync(GENERATED, 'utf8') === (await generate()), 'worker/generated/emails.ts is stale: npm run emails:build').toBe(true);
  });
});

describe('email subject (header injection)', () => {
  let h: Awaited<ReturnType<typeof startNodeHarness>>;
  beforeAll(async () => {
    h = await startNodeHarness();
  });
  afterAll(() => h.close());

  describe('rejects', () => {
    it.each([
      ['CR LF', 'Acme\r\nBcc: victim@example.com'],
      ['a bare LF', 'Acme\nX'],
      ['a C1 control (NEL)', 'Acme\u0085X'],
      ['a Unicode line separator', 'Acme\u2028X'],
      ['a tab', 'Acme\tX'],
    ])('a workspace name with %s', async (_name, name) => {
      await expect(createWorkspace(h.db, name, new Date())).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'name' } });
    });

    it.each([
      ['a name', { name: 'Support\r\nBcc: x@example.com' }, 'name'],
      ['a question', { question: 'How did we do?\r\nBcc: x@example.com' }, 'question'],
      ['a translation', { questionI18n: { it: 'Com’è\u2029andata?' } }, 'it'],
    ])('survey text with a line break in %s, whoever stores it (API or CLI)', async (_name, change, field) => {
      const { workspace } = await createWorkspace(h.db, 'Surveys', new Date());
      const input = { name: 'Support', scale: 'csat3' as const, question: 'How did we do?', questionI18n: {}, locale: null, ...change };
      await expect(insertSurvey(h.db, workspace.id, input, new Date())).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field } });
    });
  });

  describe('security', () => {
    it('an older workspace whose name holds CR/LF still renders a one-line subject', async () => {
      const { workspace, apiKey } = await createWorkspace(h.db, 'Acme', new Date());
      // Written past the validation, as a row from before it would be.
      await h.db.update(workspaces).set({ name: 'Acme\r\nBcc: victim@example.com\u2028\u0085' }).where(eq(workspaces.id, workspace.id));
      const api = new Api(h, apiKey);
      const survey = await api.createSurvey();
      const { json } = await api.call('POST', '/emails/render', { survey: survey.id, subject: 'T-1', recipient: 'ann@example.com' }, 200);
      expect(json.subject).toBe('Acme Bcc: victim@example.com: how did we do?');
      expect(json.subject).not.toMatch(LINE_BREAKING);
    });

    it.each([
      ['a\r\nb', 'a b'],
      ['a\u0000\u0085\u2028b', 'a b'],
      ['  plain  ', 'plain'],
    ])('headerText(%j) → %j', (text, expected) => {
      expect(headerText(text)).toBe(expected);
    });
  });
});
