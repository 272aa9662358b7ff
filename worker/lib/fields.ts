import { AppError } from './errors';

/**
 * A validator of JSON fields for services that check input themselves (the API's requests are
 * validated by the zod schemas of `services/schemas.ts` first): the same VALIDATION_FAILED code,
 * message and field.
 */

/**
 * Control characters (C0 with CR/LF, DEL, C1) and the Unicode line and paragraph separators: none
 * belongs in a one-line field, and these fields reach email headers (a workspace name in the
 * subject) and page text.
 */
// eslint-disable-next-line no-control-regex
export const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** A trimmed string field of 1..max characters (no control characters), or undefined when optional and absent. */
export function stringField(body: Record<string, unknown>, name: string, max: number, required: true): string;
export function stringField(body: Record<string, unknown>, name: string, max: number, required?: false): string | undefined;
export function stringField(body: Record<string, unknown>, name: string, max: number, required = false): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) {
    if (required) throw new AppError('VALIDATION_FAILED', `"${name}" is required.`, { field: name });
    return undefined;
  }
  if (typeof value !== 'string') throw new AppError('VALIDATION_FAILED', `"${name}" must be a string.`, { field: name });
  const text = value.trim();
  if (!text || text.length > max || LINE_BREAKING.test(text)) {
    throw new AppError('VALIDATION_FAILED', `"${name}" must be 1 to ${max} characters without control characters.`, { field: name });
  }
  return text;
}
