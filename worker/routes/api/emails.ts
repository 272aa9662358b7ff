import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../app-env';
import { AppError } from '../../lib/errors';
import { isSnippetStyle, SNIPPET_STYLES } from '../../lib/helpdesk-presets';
import { isLocale, LOCALES } from '../../lib/i18n';
import { renderSurveyEmail } from '../../services/emails';
import { stringField } from '../../lib/fields';
import { jsonBody } from './validate';

/**
 * `POST /api/v1/emails/render`: `{"survey","subject","recipient"}` (optional `"agent"`, `"locale"`,
 * `"style"`, `"brand":{"color","logoUrl"}`) → `{"subject","html","text","links","expiresAt"}`, for
 * any system that sends mail.
 */
export function emailRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().post('/render', async function renderEmail(c) {
    const body = await jsonBody(c);
    const locale = body.locale ?? undefined;
    if (locale !== undefined && !isLocale(locale)) throw new AppError('VALIDATION_FAILED', `"locale" must be one of ${LOCALES.join(', ')}.`, { field: 'locale' });
    const style = body.style ?? 'emoji';
    if (!isSnippetStyle(style)) throw new AppError('VALIDATION_FAILED', `"style" must be one of ${SNIPPET_STYLES.join(', ')}.`, { field: 'style' });
    const brand = body.brand ?? {};
    if (typeof brand !== 'object' || Array.isArray(brand)) throw new AppError('VALIDATION_FAILED', '"brand" must be an object.', { field: 'brand' });
    const color = stringField(brand as Record<string, unknown>, 'color', 7);
    if (color !== undefined && !/^#[0-9a-fA-F]{6}$/.test(color)) throw new AppError('VALIDATION_FAILED', '"brand.color" must be #rrggbb.', { field: 'brand.color' });
    const logoUrl = stringField(brand as Record<string, unknown>, 'logoUrl', 500);
    if (logoUrl !== undefined && !/^https:\/\/[^\s"'<>]+$/.test(logoUrl)) throw new AppError('VALIDATION_FAILED', '"brand.logoUrl" must be an https URL.', { field: 'brand.logoUrl' });
    const email = await renderSurveyEmail(deps, c.get('workspace'), {
      surveyId: stringField(body, 'survey', 64, true),
      subject: stringField(body, 'subject', 200, true),
      recipient: stringField(body, 'recipient', 320, true),
      agent: stringField(body, 'agent', 100) ?? null,
      locale,
      style,
      brand: { color, logoUrl },
    });
    return c.json(email);
  });
}
