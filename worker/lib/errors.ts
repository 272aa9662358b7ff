/**
 * One error type for the whole app. API routes render it as the envelope
 * `{ error: { code, message, requestId } }`; customer pages render it as a friendly localized page.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  FORM_MALFORMED: 400,
  VALIDATION_FAILED: 400,
  LINK_MALFORMED: 400,
  LINK_UNKNOWN_KEY: 400,
  SCORE_OUT_OF_RANGE: 400,
  /** A follow-up's owner must be a member of the workspace (by id or email). */
  OWNER_NOT_A_MEMBER: 400,
  UNAUTHORIZED: 401,
  FORM_TOKEN_INVALID: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  SURVEY_NOT_FOUND: 404,
  RESPONSE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  RECIPIENT_SUPPRESSED: 409,
  LINK_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  COMMENT_INVALID: 422,
  RATE_LIMITED: 429,
  DB_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly status: (typeof ERROR_STATUS)[ErrorCode];
  readonly details?: unknown;
  constructor(
    readonly code: ErrorCode,
    message: string,
    details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
    this.details = code === 'VALIDATION_FAILED' ? withFieldList(details, message) : details;
  }
}

/**
 * A validation error found by hand (a service, `lib/fields.ts`) names one field; the API's
 * `details` always lists the bad fields too (`fields: [{ path, message }]`), as a schema's do.
 */
function withFieldList(details: unknown, message: string): unknown {
  if (!details || typeof details !== 'object' || 'fields' in details || typeof (details as { field?: unknown }).field !== 'string') return details;
  const { field } = details as { field: string };
  return { ...details, fields: [{ path: field, message: message.replace(`"${field}" `, '') }] };
}

/**
 * True for failures of the database itself (unreachable server, unopenable file, lock timeout),
 * as opposed to bugs: these become 503 so clients retry instead of giving up.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name === 'LibsqlError' || e.name === 'LibsqlBatchError') {
      const code = (e as Error & { code?: string }).code ?? '';
      // Constraint and syntax errors are bugs or bad input, not an outage.
      if (!/CONSTRAINT|SQL_PARSE|SQL_INPUT|MISMATCH|RANGE/.test(code)) return true;
    }
    if (e.name === 'HttpServerError' || e.name === 'ClientError') return true;
    if (e instanceof TypeError && /fetch|network|connect/i.test(e.message)) return true;
    // Node's sockets, workerd's fetch ("Network connection lost."), SQLite's I/O and lock errors.
    if (/ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|Network connection lost|fetch failed|SQLITE_(BUSY|CANTOPEN|IOERR|READONLY|FULL)/.test(e.message)) return true;
  }
  return false;
}
