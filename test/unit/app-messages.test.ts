import { describe, expect, it } from 'vitest';
import { APP_MESSAGES } from '../../worker/pages/app/messages';
import { LOCALES, MESSAGES } from '../../worker/lib/i18n';

/** Every key path of a message tree with the kind of its value (a text or a function). */
function shape(value: unknown, path = ''): string[] {
  if (typeof value === 'function') return [`${path}: function`];
  if (typeof value === 'string') return [`${path}: string`];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => shape(inner, path ? `${path}.${key}` : key));
}

describe('page texts', () => {
  it('the team app has every English text in Italian, of the same kind', () => {
    expect(shape(APP_MESSAGES.it).sort()).toEqual(shape(APP_MESSAGES.en).sort());
  });

  it.each(LOCALES)('the customer pages have every English text in %s', (locale) => {
    expect(shape(MESSAGES[locale]).sort()).toEqual(shape(MESSAGES.en).sort());
  });
});
