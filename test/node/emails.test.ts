import { readFileSync } from 'node:fs';
import mjml2html from 'mjml';
import { describe, expect, it } from 'vitest';
import { generate, GENERATED } from '../../scripts/build-emails';

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
