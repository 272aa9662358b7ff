import { z } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import { RESPONSE_EVENT_KINDS, RESPONSE_STATUSES } from '../../schema/responses';
import { SCALES, SENTIMENTS } from '../../schema/scales';
import { DELIVERY_STATUSES, ENDPOINT_FORMATS, ENDPOINT_STATUSES, PING_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from '../../schema/webhooks';
import { FOLLOW_UP_PRIORITIES, FOLLOW_UP_RULES, FOLLOW_UP_STATUSES } from '../../schema/followup-settings';
import { AppError, ERROR_STATUS, type ErrorCode } from '../lib/errors';
import { PRESET_NAMES, SNIPPET_STYLES } from '../lib/helpdesk-presets';
import { LOCALES } from '../lib/i18n';
import { ERASURE_KINDS, type ErasureKind } from '../db/privacy';

/**
 * The JSON shapes of the API, one zod schema per shape: the routes validate requests with them,
 * the representations (`representations.ts`) and the webhook dispatcher are typed by them, the
 * CLI parses its input with them, and `routes/api/contract.ts` turns them into the OpenAPI
 * document. A shape named here is a component of the document (`#/components/schemas/<Name>`).
 *
 * Unknown fields are refused (`z.strictObject`), in bodies and query strings alike, the way Stripe
 * does: an integrator's typo (`"expiresIn"` for `"expiresInDays"`) is a 400 naming the field,
 * not a silently ignored option.
 */

// ---------------------------------------------------------------------------------------------
// Field builders: every message reads after the field's name ("\"name\" is required.").
// ---------------------------------------------------------------------------------------------

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** `is required.` when absent, `must be <what>.` otherwise. */
function requiredOr(what: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required.' : `must be ${what}.`);
}

/**
 * A trimmed string of 1..max characters without control characters (the rule `lib/fields.ts`
 * applied by hand before). Documented with its bounds.
 */
export function text(max: number) {
  const rule = `1 to ${max} characters without control characters`;
  return z
    .string({ error: requiredOr('a string') })
    .trim()
    .min(1, { error: `must be ${rule}.` })
    .max(max, { error: `must be ${rule}.` })
    .refine((value) => !CONTROL_CHARACTERS.test(value), { error: `must be ${rule}.` });
}

/** One of a fixed list of strings, with a message that lists them. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, extra = '') {
  return z.enum(values, { error: requiredOr(`one of ${values.join(', ')}${extra}`) });
}

/** ISO 8601 (RFC 3339) instants, as every time of the API is written. */
const instant = z.string().openapi({ format: 'date-time', example: '2026-05-04T09:30:00.000Z' });
const prefixedId = (prefix: string, description: string) => z.string().openapi({ description, example: `${prefix}_0000000000000000` });

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

/** One bad field of a request: its path (`question.en`, `events.1`, `brand.color`) and what is wrong. */
export const FieldProblem = z.object({ path: z.string(), message: z.string() }).openapi('FieldProblem');

/** `details` of a VALIDATION_FAILED error. */
export const ValidationDetails = z
  .object({
    field: z.string().openapi({ description: 'The first bad field (its path without array positions).' }),
    fields: z.array(FieldProblem).openapi({ description: 'Every bad field, by its path.' }),
  })
  .openapi('ValidationDetails');

/** The one error envelope of the API. */
export const ErrorEnvelope = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).openapi({ description: 'Stable: branch on this, never on the message.' }),
      message: z.string().openapi({ description: 'For humans; may change.' }),
      requestId: z.string().openapi({ example: 'req_0000000000000000' }),
      details: z.union([ValidationDetails, z.record(z.string(), z.unknown())]).optional(),
    }),
  })
  .openapi('Error');

// ---------------------------------------------------------------------------------------------
// Surveys
// ---------------------------------------------------------------------------------------------

export const MAX_QUESTION = 500;
const LANGUAGE_CODE = /^[a-z]{2}(-[A-Z]{2})?$/;
const languageCode = z.string().regex(LANGUAGE_CODE, { error: 'must be a language code such as en or pt-BR.' });
/** `{ "en": "…", "it": "…" }`: a question in several languages. */
export const Translations = z
  .record(languageCode, text(MAX_QUESTION), { error: 'must be an object of language: text.' })
  .openapi('Translations', { example: { en: 'How did we do?', it: 'Come è andata?' } });

export const SurveyCreate = z
  .strictObject({
    name: text(200),
    scale: oneOf(SCALES),
    question: z.union([text(MAX_QUESTION), Translations], { error: requiredOr('a string or an object of language: text') }).openapi({
      description: 'The question, or an object of its translations (the survey\'s own text is its locale\'s, or English, or the first).',
    }),
    translations: Translations.nullish(),
    locale: oneOf(LOCALES, ' or null').nullish(),
  })
  .openapi('SurveyCreate');

/**
 * The question may be a string (with optional `translations`) or an object of translations
 * `{ "en": "…", "it": "…" }`; the survey's own text is its locale's (or English, or the first).
 */
export function surveyQuestion(input: Pick<z.output<typeof SurveyCreate>, 'question' | 'translations'>, locale: string | null) {
  const translations: Record<string, string> = { ...(typeof input.question === 'object' ? input.question : {}), ...(input.translations ?? {}) };
  const question = typeof input.question === 'string' ? input.question : (translations[locale ?? 'en'] ?? Object.values(translations)[0]);
  if (!question) throw new AppError('VALIDATION_FAILED', '"question" is required.', { field: 'question' });
  return { question, questionI18n: translations };
}

export const Survey = z
  .object({
    id: prefixedId('sv', 'The survey id.'),
    name: z.string(),
    scale: z.enum(SCALES),
    question: z.string(),
    translations: z.record(z.string(), z.string()),
    locale: z.enum(LOCALES).nullable(),
    createdAt: instant,
    archivedAt: instant.nullable().openapi({ description: 'When it was archived (its links then answer 410 "closed"); null while open.' }),
    followUps: z.enum(FOLLOW_UP_RULES).openapi({ description: 'Which counted answers open a follow-up: `negative`, `negative-and-neutral` (NPS passives too) or `off`.' }),
    reviewUrl: z.string().nullable().openapi({ description: 'The public review page the thank-you page invites every respondent to; null: none.' }),
  })
  .openapi('Survey');

export const SurveyUpdate = z
  .strictObject({
    followUps: oneOf(FOLLOW_UP_RULES).optional(),
    reviewUrl: z
      .string({ error: 'must be an https URL or null.' })
      .max(2048, { error: 'must be at most 2048 characters.' })
      .nullable()
      .optional()
      .openapi({ format: 'uri', description: 'An https URL of a public review page, or null to remove it.' }),
  })
  .openapi('SurveyUpdate');

export const SurveyList = z.object({ data: z.array(Survey) }).openapi('SurveyList');

// ---------------------------------------------------------------------------------------------
// Links, snippets, emails
// ---------------------------------------------------------------------------------------------

/** Who and what one message is about: the fields of every per-message link. */
const messageFields = {
  survey: text(64).openapi({ description: 'The survey id.' }),
  subject: text(200).openapi({ description: 'What the feedback is about: the ticket ref.' }),
  recipient: text(320).openapi({ description: 'Who answers: an email address or a customer id.' }),
  agent: text(100).nullish(),
  properties: z
    .record(z.string(), z.string({ error: 'must be a string of 1 to 100 characters.' }), { error: 'must be an object of name: string value.' })
    .nullish()
    .openapi({
      description:
        'Segment properties kept with the response (issue 15): at most 10 names (a-z, 0-9, _; 1 to 32 characters, starting with a letter), each a value of 1 to 100 characters on one line.',
      example: { organization: 'ACME srl', project: 'P-12' },
    }),
};

export const LinksCreate = z
  .strictObject({
    ...messageFields,
    expiresInDays: z
      .number({ error: requiredOr('a whole number from 1 to 3650') })
      .int({ error: 'must be a whole number from 1 to 3650.' })
      .min(1, { error: 'must be a whole number from 1 to 3650.' })
      .max(3650, { error: 'must be a whole number from 1 to 3650.' })
      .nullish()
      .openapi({ description: 'Overrides the default lifetime (LINK_TTL_DAYS).' }),
  })
  .openapi('LinksCreate');

export const AnswerLink = z.object({ score: z.number().int(), label: z.string(), url: z.string().openapi({ format: 'uri' }) }).openapi('AnswerLink');

export const Links = z.object({ survey: z.string(), expiresAt: instant, links: z.array(AnswerLink) }).openapi('Links');

export const SnippetCreate = z
  .strictObject({
    survey: messageFields.survey,
    preset: oneOf(PRESET_NAMES).nullish().openapi({ description: 'Default `plain`.' }),
    style: oneOf(SNIPPET_STYLES).nullish().openapi({ description: 'Default `emoji`.' }),
    agent: messageFields.agent,
    locale: oneOf(LOCALES).nullish(),
  })
  .openapi('SnippetCreate');

export const Snippet = z
  .object({
    html: z.string(),
    text: z.string(),
    links: z.array(AnswerLink),
    signatureLink: prefixedId('sl', 'The signature link, to disable it later.'),
    preset: z.object({
      name: z.enum(PRESET_NAMES),
      title: z.string(),
      pasteInto: z.string(),
      placeholders: z.object({ ticket: z.string().optional(), email: z.string().optional() }),
      source: z.string(),
    }),
  })
  .openapi('Snippet');

export const SignatureLinkDisabled = z.object({ id: z.string(), disabled: z.literal(true) }).openapi('SignatureLinkDisabled');

export const EmailRender = z
  .strictObject({
    ...messageFields,
    locale: oneOf(LOCALES).nullish(),
    style: oneOf(SNIPPET_STYLES).nullish().openapi({ description: 'Default `emoji`.' }),
    brand: z
      .strictObject(
        {
          color: z
            .string({ error: 'must be #rrggbb.' })
            .regex(/^#[0-9a-fA-F]{6}$/, { error: 'must be #rrggbb.' })
            .nullish(),
          logoUrl: z
            .string({ error: 'must be an https URL.' })
            .max(500, { error: 'must be at most 500 characters.' })
            .regex(/^https:\/\/[^\s"'<>]+$/, { error: 'must be an https URL.' })
            .nullish(),
        },
        { error: 'must be an object.' },
      )
      .nullish(),
  })
  .openapi('EmailRender');

export const RenderedEmail = z
  .object({ subject: z.string(), html: z.string(), text: z.string(), links: z.array(AnswerLink), expiresAt: instant })
  .openapi('RenderedEmail');

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

export const Response = z
  .object({
    id: prefixedId('rsp', 'The response id.'),
    survey: z.string(),
    subject: z.string(),
    recipient: z.string(),
    agent: z.string().nullable(),
    score: z.number().int(),
    label: z.string(),
    sentiment: z.enum(SENTIMENTS),
    comment: z.string().nullable(),
    status: z.enum(RESPONSE_STATUSES),
    properties: z.record(z.string(), z.string()).nullable().openapi({ description: 'The segment properties of the link answered (null: none).' }),
    firstAnsweredAt: instant,
    lastAnsweredAt: instant,
    commentedAt: instant.nullable(),
  })
  .openapi('Response');

export const ResponseEvent = z
  .object({
    id: prefixedId('evt', 'The event id.'),
    kind: z.enum(RESPONSE_EVENT_KINDS),
    score: z.number().int().nullable(),
    at: instant,
    status: z.enum(RESPONSE_STATUSES),
    reason: z.string().nullable(),
    confirmedAt: instant.nullable(),
    signals: z.object({
      method: z.string(),
      userAgent: z.string().nullable(),
      acceptLanguage: z.string().nullable(),
      secFetch: z.record(z.string(), z.string()).nullable(),
      ipPrefix: z.string().nullable(),
      asn: z.number().int().nullable(),
      asOrganization: z.string().nullable(),
      country: z.string().nullable(),
    }),
  })
  .openapi('ResponseEvent');

export const ResponseWithEvents = Response.extend({ events: z.array(ResponseEvent) }).openapi('ResponseWithEvents');

const cursor = z.string().optional().openapi({ description: 'The `next` value of the previous page.' });
const limitOf = (max: number, fallback: number) => z.string().optional().openapi({ description: `Rows per page, 1 to ${max} (default ${fallback}).`, example: '50' });

/** `name:value`: only responses whose link had this segment property. */
const propertyFilter = z
  .string()
  .optional()
  .openapi({ description: 'A segment property as `name:value` (e.g. `organization:ACME srl`).', example: 'organization:ACME srl' });

/** The filters of `GET /responses` and its CSV export, as text (the service parses and bounds them, for the CLI too). */
const responseFilters = {
  survey: z.string().optional(),
  subject: z.string().optional().openapi({ description: 'The ticket ref.' }),
  recipient: z.string().optional(),
  email: z.string().optional().openapi({ description: 'Alias of `recipient`.' }),
  agent: z.string().optional(),
  since: z.string().optional().openapi({ description: 'First answered at or after: ISO 8601 date or epoch milliseconds.' }),
  from: z.string().optional().openapi({ description: 'First answered at or after (ISO 8601 instant); with `since`, the later wins.' }),
  to: z.string().optional().openapi({ description: 'First answered before (ISO 8601 instant).' }),
  status: oneOf([...RESPONSE_STATUSES, 'all']).optional().openapi({ description: 'Default `counted`.' }),
  property: propertyFilter,
};

export const ResponseListQuery = z
  .strictObject({ ...responseFilters, limit: limitOf(1000, 100), cursor })
  .openapi('ResponseListQuery');

/** The filters of `GET /api/v1/responses` without its paging: what the CSV export takes. */
export const ResponseExportQuery = z
  .strictObject(responseFilters)
  .openapi('ResponseExportQuery');

export const ResponsePage = z
  .object({ data: z.array(Response), next: z.string().nullable().openapi({ description: 'Cursor of the next page; null on the last.' }) })
  .openapi('ResponsePage');

export const ResponseOverride = z
  .strictObject({
    status: z.enum(['counted', 'bot'], { error: requiredOr('counted or bot') }),
    event: z
      .string({ error: "must be the id of one of the response's clicks (evt_…)." })
      .nullish()
      .openapi({ description: 'One click (default: the last click; for `bot`, every click).' }),
  })
  .openapi('ResponseOverride');

export const ResponseContact = z
  .object({ response: z.string(), email: z.string().nullable(), ticket: z.string().nullable(), createdAt: instant })
  .openapi('ResponseContact');

// ---------------------------------------------------------------------------------------------
// Respondents (erasure and access)
// ---------------------------------------------------------------------------------------------

/** `DELETE /respondents/{email}`: `suppress=true` keeps a keyed hash so the address is never surveyed again. */
export const ErasureQuery = z
  .strictObject({
    suppress: z.enum(['true', 'false']).optional().openapi({ description: 'Keep only a keyed hash of the address: new links for it are refused (409 RECIPIENT_SUPPRESSED).' }),
  })
  .openapi('ErasureQuery');

/** What each count of an erasure holds: one per `ERASURE_KINDS` (a kind added there needs its words here). */
const ERASURE_COUNTS: Record<ErasureKind, string> = {
  responses: 'Responses deleted (per-message links, `hint:` votes, anonymous votes that left the address).',
  events: 'Their clicks, comments and decisions, with the request signals.',
  contacts: 'Contacts left on the thank-you page.',
  followUps: 'Their follow-ups (the cases the team opened for unhappy answers).',
  followUpNotes: 'The notes the team wrote on those follow-ups.',
  followUpLog: 'The log entries of those follow-ups.',
  reviewClicks: 'Clicks on the review invitation of these responses.',
  webhookEvents: 'Webhook events of these responses (the outbox).',
  webhookDeliveries: 'Their deliveries, sent or pending (a pending one never sends).',
};

export const Erasure = z
  .object({
    ...(Object.fromEntries(ERASURE_KINDS.map((kind) => [kind, z.number().int().openapi({ description: ERASURE_COUNTS[kind] })])) as Record<ErasureKind, z.ZodNumber>),
    suppressed: z.boolean().openapi({ description: 'Whether the address is now suppressed.' }),
  })
  .openapi('Erasure');

export const RespondentResponse = ResponseWithEvents.extend({
  contact: z
    .object({ email: z.string().nullable(), ticket: z.string().nullable(), createdAt: instant })
    .nullable()
    .openapi({ description: 'What the voter typed on the thank-you page (anonymous signature votes).' }),
  followUp: z
    .lazy(() => FollowUpDetail.omit({ otherResponses: true }))
    .nullable()
    .openapi({ description: 'The follow-up the team opened for this response, with its notes and log; null when none.' }),
}).openapi('RespondentResponse');

export const RespondentExport = z
  .object({
    email: z.string(),
    exportedAt: instant,
    suppressed: z.boolean(),
    responses: z.array(RespondentResponse),
  })
  .openapi('RespondentExport');

// ---------------------------------------------------------------------------------------------
// Webhook endpoints and deliveries
// ---------------------------------------------------------------------------------------------

/** `parseUrl` in the service checks the rest (https, public host): it knows the config. */
const webhookUrl = z.string({ error: 'is required: the https URL to POST events to.' }).openapi({ format: 'uri', maxLength: 2048 });
const eventList = z
  .array(oneOf(WEBHOOK_EVENT_TYPES), { error: `must be a non-empty list of ${WEBHOOK_EVENT_TYPES.join(', ')}.` })
  .min(1, { error: `must be a non-empty list of ${WEBHOOK_EVENT_TYPES.join(', ')}.` });
const description = text(500).nullable().optional();

const format = oneOf(ENDPOINT_FORMATS).openapi({
  description: '`standard` (default): the signed Standard Webhooks JSON. `slack`: a Slack message (`text` and `blocks`) for a Slack incoming-webhook URL.',
});

export const WebhookEndpointCreate = z
  .strictObject({ url: webhookUrl, events: eventList.optional().openapi({ description: 'Default `["feedback.negative"]`.' }), description, format: format.optional() })
  .openapi('WebhookEndpointCreate');

export const WebhookEndpointUpdate = z
  .strictObject({ url: webhookUrl.optional(), events: eventList.optional(), status: oneOf(ENDPOINT_STATUSES).optional(), description, format: format.optional() })
  .openapi('WebhookEndpointUpdate');

export const WebhookEndpoint = z
  .object({
    id: prefixedId('wh', 'The endpoint id.'),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    format: z.enum(ENDPOINT_FORMATS),
    status: z.enum(ENDPOINT_STATUSES),
    pausedReason: z.string().nullable().openapi({ description: '`manual`, or why clickback paused it (410 Gone).' }),
    previousSecretExpiresAt: instant.nullable(),
    createdAt: instant,
    updatedAt: instant,
  })
  .openapi('WebhookEndpoint');

export const WebhookEndpointWithSecret = WebhookEndpoint.extend({
  secret: z.string().openapi({ description: 'The Standard Webhooks signing secret: shown only here.', example: 'whsec_…' }),
}).openapi('WebhookEndpointWithSecret');

export const WebhookEndpointList = z.object({ data: z.array(WebhookEndpoint) }).openapi('WebhookEndpointList');

export const Delivery = z
  .object({
    id: prefixedId('whd', 'The delivery id: the `webhook-id` header of every attempt.'),
    endpoint: z.string(),
    event: z.object({ id: z.string(), type: z.string(), response: z.string().nullable(), occurredAt: instant }),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    lastAttemptAt: instant.nullable(),
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    lastResponse: z.string().nullable(),
    nextAttemptAt: instant.nullable(),
    deliveredAt: instant.nullable(),
    createdAt: instant,
  })
  .openapi('Delivery');

export const DeliveryListQuery = z
  .strictObject({ status: oneOf(DELIVERY_STATUSES).optional(), limit: limitOf(500, 50), cursor })
  .openapi('DeliveryListQuery');

export const DeliveryPage = z.object({ data: z.array(Delivery), next: z.string().nullable() }).openapi('DeliveryPage');

export const Replay = z.strictObject({ event: z.string({ error: requiredOr('an event id (whe_…)') }) }).openapi('Replay');

// ---------------------------------------------------------------------------------------------
// Follow-ups (issue 16)
// ---------------------------------------------------------------------------------------------

const PersonRef = z.object({ id: z.string(), name: z.string(), email: z.string() }).openapi('PersonRef');
/** `a,b` or `a` (a query string carries lists comma-separated). */
const listOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((value) => value.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(oneOf(values), { error: `must be one or more of ${values.join(', ')}, comma-separated.` }))
    .optional()
    .openapi({ type: 'string', description: `One or more of ${values.join(', ')}, comma-separated.` });

export const FollowUpListQuery = z
  .strictObject({
    status: listOf(FOLLOW_UP_STATUSES),
    priority: listOf(FOLLOW_UP_PRIORITIES),
    owner: z.string().optional().openapi({ description: '`unassigned`, or a member id (`per_…`). (An API key is no member: `me` is for the team app.)' }),
    survey: z.string().optional(),
    q: z.string().max(320, { error: 'must be at most 320 characters.' }).optional().openapi({ description: 'A customer (email or id, case-insensitive) or a ticket ref.' }),
    overdue: z
      .enum(['true', 'false'], { error: 'must be true or false.' })
      .transform((value) => value === 'true')
      .optional()
      .openapi({ type: 'string', enum: ['true', 'false'], description: 'Only those past their due time and not resolved (or only the others).' }),
    sort: oneOf(['due', '-due', 'created', '-created']).optional().openapi({ description: 'Default `due` (soonest first).' }),
    limit: z
      .string()
      .regex(/^\d+$/, { error: 'must be a whole number from 1 to 500.' })
      .transform(Number)
      .optional()
      .openapi({ type: 'string', description: 'Rows per page, 1 to 500 (default 50).', example: '50' }),
    cursor,
  })
  .openapi('FollowUpListQuery');

export const FollowUp = z
  .object({
    id: prefixedId('fu', 'The follow-up id.'),
    status: z.enum(FOLLOW_UP_STATUSES),
    priority: z.enum(FOLLOW_UP_PRIORITIES),
    owner: PersonRef.nullable(),
    survey: z.object({ id: z.string(), name: z.string(), scale: z.enum(SCALES) }),
    response: Response.pick({ id: true, subject: true, recipient: true, agent: true, score: true, label: true, sentiment: true, status: true, comment: true, firstAnsweredAt: true, lastAnsweredAt: true }),
    dueAt: instant,
    overdue: z.boolean(),
    createdAt: instant,
    updatedAt: instant,
    firstActionAt: instant.nullable().openapi({ description: 'The first move out of `new`.' }),
    resolvedAt: instant.nullable(),
    resolution: z.object({ rootCause: z.string(), solved: z.boolean() }).nullable(),
  })
  .openapi('FollowUp');

export const FollowUpPage = z.object({ data: z.array(FollowUp), next: z.string().nullable() }).openapi('FollowUpPage');

export const FollowUpNote = z.object({ id: prefixedId('fun', 'The note id.'), author: PersonRef.nullable(), text: z.string(), at: instant }).openapi('FollowUpNote');

export const FollowUpDetail = FollowUp.extend({
  notes: z.array(FollowUpNote),
  log: z
    .array(
      z.object({
        at: instant,
        actor: PersonRef.nullable().openapi({ description: 'Null: the system (the rules, or an API key).' }),
        action: z.string(),
        from: z.string().nullable(),
        to: z.string().nullable(),
      }),
    )
    .openapi({ description: 'Every change, oldest first.' }),
  otherResponses: z.array(
    z.object({
      id: z.string(),
      survey: z.object({ id: z.string(), name: z.string() }),
      subject: z.string(),
      score: z.number().int(),
      label: z.string(),
      sentiment: z.enum(SENTIMENTS),
      status: z.enum(RESPONSE_STATUSES),
      firstAnsweredAt: instant,
    }),
  ),
}).openapi('FollowUpDetail');

export const FollowUpUpdate = z
  .strictObject({
    status: oneOf(FOLLOW_UP_STATUSES).optional(),
    priority: oneOf(FOLLOW_UP_PRIORITIES).optional(),
    owner: z.string({ error: 'must be a member id (per_…), a member\'s email, or null.' }).max(320).nullable().optional(),
    resolution: z
      .strictObject({ rootCause: z.string({ error: requiredOr("one of your workspace's root causes") }), solved: z.boolean({ error: requiredOr('true or false') }) })
      .optional()
      .openapi({ description: 'Required when resolving: a root cause from the workspace\'s list, and whether the problem was solved.' }),
  })
  .openapi('FollowUpUpdate');

export const FollowUpNoteCreate = z.strictObject({ text: text(5000) }).openapi('FollowUpNoteCreate');

export const FollowUpMetricsQuery = z
  .strictObject({
    survey: z.string().optional(),
    from: z.string().optional().openapi({ description: 'ISO 8601 date or epoch ms (default: 30 days before `to`).' }),
    to: z.string().optional().openapi({ description: 'ISO 8601 date or epoch ms, excluded (default: now).' }),
  })
  .openapi('FollowUpMetricsQuery');

export const FollowUpMetrics = z
  .object({
    from: instant,
    to: instant,
    opened: z.number().int(),
    resolved: z.number().int(),
    open: z.number().int().openapi({ description: 'Opened in the period and not resolved.' }),
    overdue: z.number().int().openapi({ description: 'Of those, past their due time now.' }),
    medianFirstActionMs: z.number().nullable().openapi({ description: 'Median time from opening to the first move out of `new`.' }),
    medianResolutionMs: z.number().nullable(),
    resolvedWithinDueShare: z.number().nullable().openapi({ description: 'Resolved by the due time, among those resolved or overdue.' }),
    recoveryRate: z.number().nullable().openapi({
      description: 'Among customers with a negative counted response in the period: the share whose next counted response (any survey, same customer) is not negative. Customers with no later response are left out.',
    }),
    recovery: z.object({ customers: z.number().int(), withNextResponse: z.number().int(), recovered: z.number().int() }),
  })
  .openapi('FollowUpMetrics');

export type FollowUpJson = z.infer<typeof FollowUp>;
export type FollowUpDetailJson = z.infer<typeof FollowUpDetail>;
export type FollowUpNoteJson = z.infer<typeof FollowUpNote>;
export type FollowUpMetricsJson = z.infer<typeof FollowUpMetrics>;

// ---------------------------------------------------------------------------------------------
// Webhook payloads (what the dispatcher POSTs)
// ---------------------------------------------------------------------------------------------

export const FeedbackResponse = z
  .object({
    id: z.string(),
    status: z.enum(RESPONSE_STATUSES),
    survey: z.object({ id: z.string(), name: z.string(), scale: z.enum(SCALES), question: z.string() }),
    score: z.number().int(),
    label: z.string(),
    sentiment: z.enum(SENTIMENTS).nullable(),
    comment: z.string().nullable(),
    subject: z.string(),
    recipient: z.string(),
    agent: z.string().nullable(),
    properties: z.record(z.string(), z.string()).nullable().openapi({ description: 'The segment properties of the link answered (null: none).' }),
    firstAnsweredAt: instant,
    lastAnsweredAt: instant,
  })
  .openapi('FeedbackResponse');

const envelope = { id: prefixedId('whe', 'The event id: the same on a replay.'), timestamp: instant };

/** A follow-up as a `followup.*` event carries it: where it stands when the event is sent, and its page in the app. */
export const WebhookFollowUp = z
  .object({
    id: prefixedId('fu', 'The follow-up id.'),
    status: z.enum(FOLLOW_UP_STATUSES),
    priority: z.enum(FOLLOW_UP_PRIORITIES),
    owner: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
    dueAt: instant,
    url: z.string().openapi({ format: 'uri', description: 'The follow-up in the team app.' }),
  })
  .openapi('WebhookFollowUp');

type FeedbackType = Extract<(typeof WEBHOOK_EVENT_TYPES)[number], `feedback.${string}`>;
type FollowUpType = Extract<(typeof WEBHOOK_EVENT_TYPES)[number], `followup.${string}`>;
const eventName = (type: string) => `${type.replace(/(^|\.)([a-z])/g, (_, _dot: string, c: string) => c.toUpperCase())}Event`;

/** The body of a `feedback.*` event, per type (one component each, so receivers can switch on `type`). */
export function feedbackEvent<T extends FeedbackType>(type: T) {
  return z.object({ ...envelope, type: z.literal(type), data: z.object({ response: FeedbackResponse }) }).openapi(eventName(type));
}

/** The body of a `followup.*` event: the follow-up and its response. */
export function followUpEvent<T extends FollowUpType>(type: T) {
  return z.object({ ...envelope, type: z.literal(type), data: z.object({ response: FeedbackResponse, followUp: WebhookFollowUp }) }).openapi(eventName(type));
}

const isFeedbackType = (type: string): type is FeedbackType => type.startsWith('feedback.');

export const FEEDBACK_EVENTS = Object.fromEntries(WEBHOOK_EVENT_TYPES.map((type) => [type, isFeedbackType(type) ? feedbackEvent(type) : followUpEvent(type as FollowUpType)])) as {
  [T in FeedbackType]: ReturnType<typeof feedbackEvent<T>>;
} & { [T in FollowUpType]: ReturnType<typeof followUpEvent<T>> };

export const PingEvent = z
  .object({ ...envelope, type: z.literal(PING_EVENT_TYPE), data: z.object({ endpoint: z.string(), message: z.string() }) })
  .openapi('WebhookPingEvent');

/** Every webhook body the dispatcher sends. */
export const WebhookPayload = z.discriminatedUnion('type', [
  FEEDBACK_EVENTS['feedback.negative'],
  FEEDBACK_EVENTS['feedback.created'],
  FEEDBACK_EVENTS['feedback.updated'],
  FEEDBACK_EVENTS['feedback.commented'],
  FEEDBACK_EVENTS['followup.created'],
  FEEDBACK_EVENTS['followup.assigned'],
  FEEDBACK_EVENTS['followup.resolved'],
  FEEDBACK_EVENTS['followup.overdue'],
  PingEvent,
]);

/**
 * What an endpoint of format `slack` receives: a Slack message (https://api.slack.com/messaging/webhooks)
 * whose `text` is the notification's fallback and whose `blocks` lay it out.
 */
export const SlackMessage = z
  .object({
    text: z.string(),
    blocks: z.array(z.record(z.string(), z.unknown())),
  })
  .openapi('SlackMessage');

export type SurveyJson = z.infer<typeof Survey>;
export type ResponseJson = z.infer<typeof Response>;
export type ResponseEventJson = z.infer<typeof ResponseEvent>;
export type WebhookEndpointJson = z.infer<typeof WebhookEndpoint>;
export type DeliveryJson = z.infer<typeof Delivery>;
export type FeedbackEventJson = z.infer<(typeof FEEDBACK_EVENTS)[FeedbackType]>;
export type FollowUpEventJson = z.infer<(typeof FEEDBACK_EVENTS)[FollowUpType]>;
export type SlackMessageJson = z.infer<typeof SlackMessage>;
export type PingEventJson = z.infer<typeof PingEvent>;

// ---------------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------------

export const ReportQueryParams = z
  .strictObject({
    survey: z.string().optional().openapi({ description: 'The survey id (required).' }),
    from: z.string().optional().openapi({ description: 'Start (ISO 8601 instant, inclusive); default 30 days before `to`.' }),
    to: z.string().optional().openapi({ description: 'End (ISO 8601 instant, exclusive); default now. At most 731 days after `from`.' }),
    agent: z.string().optional().openapi({ description: "Only this agent's responses." }),
    property: propertyFilter,
    groupBy: z.string().optional().openapi({ description: '`day`, `week` (ISO, from Monday), `month`, `agent` or `property:<name>`.', example: 'week' }),
    include: z.enum(['followUps']).optional().openapi({
      description:
        '`followUps` adds the figures of the follow-ups opened in the period. Opt-in: the recovery rate reads each unhappy customer’s next answer, which grows with the period’s negative responses, while the report itself reads aggregates.',
    }),
  })
  .openapi('ReportQuery');

const Distribution = z.array(z.object({ score: z.number().int(), count: z.number().int() })).openapi({ description: 'Counted answers, every answer of the scale (zeros included).' });

export const ReportScore = z
  .object({
    metric: z.enum(['csat', 'nps', 'ces', 'up']),
    value: z.number().nullable().openapi({ description: 'CSAT and % up: 0 to 100; NPS: -100 to 100; CES: the mean answer (1 to 7). Null when nothing is counted.' }),
    low: z.number().nullable().openapi({ description: '95% interval: Wilson (CSAT, % up), the variance of a difference of proportions (NPS), Student t (CES; null under 2 answers).' }),
    high: z.number().nullable(),
    easy: z.number().nullable().optional().openapi({ description: 'ces7 only: % of answers 5 to 7.' }),
  })
  .openapi('ReportScore');

export const ReportGroup = z
  .object({
    key: z.string().openapi({ description: "day/week/month: the local date of the period's first day; agent ('' = none); property value." }),
    from: instant.optional(),
    to: instant.optional(),
    counted: z.number().int(),
    score: ReportScore,
    distribution: Distribution,
  })
  .openapi('ReportGroup');

export const Report = z
  .object({
    survey: z.object({ id: z.string(), scale: z.enum(SCALES), name: z.string().optional() }),
    from: instant,
    to: instant,
    timeZone: z.string().openapi({ description: "The workspace's IANA time zone: days, weeks and months are its.", example: 'Europe/Rome' }),
    counted: z.number().int(),
    pending: z.number().int().openapi({ description: 'Waiting for a person (not counted).' }),
    bot: z.number().int().openapi({ description: 'Robot clicks (not counted).' }),
    sent: z.number().int().openapi({ description: 'Messages whose per-message links were minted in the period.' }),
    responseRate: z.number().nullable().openapi({ description: 'counted ÷ sent; null when nothing was sent (signature links).' }),
    score: ReportScore,
    distribution: Distribution,
    sentiment: z.object({ negative: z.number().int(), neutral: z.number().int(), positive: z.number().int() }),
    groups: z.array(ReportGroup).optional().openapi({ description: 'With `groupBy`; time groups include empty periods.' }),
    followUps: FollowUpMetrics.optional().openapi({
      description: 'With `include=followUps`: the follow-ups of the survey opened in the period, the same figures as `GET /followups/metrics` for this survey, `from` and `to`.',
    }),
  })
  .openapi('Report');

// ---------------------------------------------------------------------------------------------
// Validation errors
// ---------------------------------------------------------------------------------------------

type Issue = ZodError['issues'][number];

/**
 * Each bad field of a failed validation, by its dotted path (`question.en`, `events.1`). A value
 * that failed a union (`question`: a string or an object of translations) is reported inside the
 * one alternative of its type, so an object's bad entry is named rather than the whole union.
 */
export function fieldProblems(issues: readonly Issue[], target: string, prefix: PropertyKey[] = []): { path: string; message: string }[] {
  const unknown = target === 'query' ? 'is not a parameter of this request.' : 'is not a field of this request.';
  return issues.flatMap((issue) => {
    const at = [...prefix, ...issue.path];
    const path = (...more: PropertyKey[]) => [...at, ...more].map(String).join('.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: path(key), message: unknown }));
    if (issue.code === 'invalid_key') return [{ path: path(), message: issue.issues[0]?.message ?? issue.message }];
    if (issue.code === 'invalid_union') {
      const ofItsType = issue.errors.filter((branch) => !branch.every((i) => i.code === 'invalid_type' && i.path.length === 0));
      if (ofItsType.length === 1) return fieldProblems(ofItsType[0]!, target, at);
    }
    return [{ path: path(), message: issue.message }];
  });
}

/**
 * A failed validation as today's `400 VALIDATION_FAILED`: the message names each bad field,
 * `details.fields` lists them by path, and `details.field` is the first one without array
 * positions (`events` for `events.1`), as the API answered before the schemas.
 */
export function validationError(error: ZodError, target: string): AppError {
  const fields = fieldProblems(error.issues, target);
  const message = fields.map((f) => (f.path ? `"${f.path}" ${f.message}` : f.message)).join(' ');
  const first = fields[0]?.path ?? '';
  return new AppError('VALIDATION_FAILED', message, { field: first.split('.').filter((segment) => !/^\d+$/.test(segment)).join('.'), fields });
}

/**
 * Validates input with the schema of its shape, failing with the API's VALIDATION_FAILED error:
 * the CLI reads its flags through the schemas the API validates the same input with.
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, 'json');
  return parsed.data;
}
