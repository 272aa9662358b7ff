import type { AppLocale } from '../../../schema';

/**
 * Intl formatters for the app's pages, built once per language and options and kept: building one
 * costs far more than formatting with it, and a dashboard or a feed formats hundreds of numbers
 * and dates. The keys are few (two languages, a handful of options, the workspaces' time zones).
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

const tag = (locale: AppLocale) => (locale === 'it' ? 'it-IT' : 'en-GB');

export function numberFormat(locale: AppLocale, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(tag(locale), options)));
  return format;
}

export function dateFormat(locale: AppLocale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) dateFormats.set(key, (format = new Intl.DateTimeFormat(tag(locale), options)));
  return format;
}
