import { bodyLimit } from 'hono/body-limit';
import type { Context } from 'hono';
import { AppError } from '../lib/errors';

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/** Refuses a form body larger than `maxBytes` (counted while it streams in) with 413 and the friendly page. */
export function limitForm(maxBytes: number) {
  return bodyLimit({
    maxSize: maxBytes,
    onError() {
      throw new AppError('PAYLOAD_TOO_LARGE', 'The form is too large.');
    },
  });
}

/**
 * The text fields of a form post (urlencoded or multipart). A body that is not a form answers 415;
 * one that cannot be parsed (a multipart body without its boundary, cut short, or with another
 * boundary than the header's) answers 400 with the friendly page. Either is what a client sent, so
 * neither is logged as an error of ours. Files are ignored: no form of ours has a file input.
 */
export async function readFormFields(c: Pick<Context, 'req'>, what: string): Promise<(name: string) => string> {
  if (!FORM_TYPES.test(c.req.header('content-type') ?? '')) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Send ${what} as a form post.`);
  }
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody();
  } catch {
    throw new AppError('FORM_MALFORMED', `Could not read ${what}: send it again from the page.`);
  }
  return function field(name: string) {
    const value = form[name];
    return typeof value === 'string' ? value : '';
  };
}

/**
 * Every value of each field of a form post (checkbox lists), after `readFormFields` has checked the
 * body: the parsed body is cached by Hono, so this reads nothing twice.
 */
export async function readFormLists(c: Pick<Context, 'req'>, what: string): Promise<(name: string) => string[]> {
  await readFormFields(c, what);
  const form = await c.req.parseBody({ all: true });
  return function values(name: string) {
    const value = form[name];
    return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  };
}
