/**
 * The clickback command line: `npm run cli -- <command> [options]`.
 *
 * Works against whatever DATABASE_URL points at (the local file by default, or a `libsql://` Turso
 * URL with DATABASE_AUTH_TOKEN), with the same keys as the service, so it serves a local install and
 * a deployed one alike.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type RawEnv } from '../worker/config';
import { createDb, type Db } from '../worker/db';
import { applyMigrations } from '../worker/db/migrate';
import { getSurvey, insertSurvey, listSurveys } from '../worker/db/surveys';
import { createApiKey, createWorkspace, listWorkspaces, revokeApiKey } from '../worker/db/workspaces';
import { DEFAULT_DATABASE_URL } from '../worker/entry-node';
import { AppError } from '../worker/lib/errors';
import { guardedFetch, nodeUrlChecker } from '../worker/node/check-url';
import { BackupError, backupDatabase, restoreDatabase } from '../worker/node/backup';
import { databaseFilePath, openNodeDatabase, truncateWal } from '../worker/node/database';
import { eraseRespondent, exportRespondent } from '../worker/services/privacy';
import { ERASURE_KINDS, type ErasureKind } from '../worker/db/privacy';
import { generateKeyEntry, withDevKeys } from '../worker/node/dev-keys';
import { loadMigrations } from '../worker/node/migrations';
import { createDispatcher, type DispatchSummary } from '../worker/services/deliver';
import { surveyJson } from '../worker/services/representations';
import { LinksCreate, parseWith, SnippetCreate, SurveyCreate, surveyQuestion } from '../worker/services/schemas';
import { mintLinks } from '../worker/services/links';
import { buildSnippet } from '../worker/services/snippets';
import { listVoteSources } from '../worker/services/signature-links';
import { PRESET_NAMES, SNIPPET_STYLES } from '../worker/lib/helpdesk-presets';
import { getResponseWithEvents, listResponsePage, overrideResponseStatus } from '../worker/services/responses';
import {
  changeEndpoint,
  createEndpoint,
  getDeliveryJson,
  getEndpointJson,
  listDeliveryPage,
  listEndpointsJson,
  pingEndpoint,
  removeEndpoint,
  replayEvent,
  retryDeliveryNow,
  rotateSecret,
  type WebhookServiceDeps,
} from '../worker/services/webhooks';
import { SCALES } from '../schema/scales';
import { ROLES } from '../schema/members';
import { createInvite, createSetupLink, FormProblem } from '../worker/services/auth';
import { isRole } from '../worker/services/members';
import { WEBHOOK_EVENT_TYPES } from '../schema/webhooks';

const HELP = `clickback command line

Usage: npm run cli -- <command> [options]

Commands:
  workspace create <name> [--json]        Create a workspace, its first API key (shown once) and its
                                          owner's setup link for the team app (/app, 24 hours).
  workspace list [--json]                 List workspaces.
  workspace setup-link [--workspace ID] [--json]
                                          A new one-time setup link for an owner (24 hours).
  member invite --email E --role owner|admin|member [--workspace ID] [--json]
                                          An invitation link to the team app (works once, for 7 days).
  key create [--workspace ID] [--name N]  Add an API key to a workspace (shown once).
  key revoke <key-id> [--workspace ID]    Revoke an API key.
  survey create --name N --scale S --question Q [--translation it="…"]... [--locale en|it]
                                          Create a survey. Scales: ${SCALES.join(', ')}.
  survey list [--json]                    List the workspace's surveys.
  links --survey ID --subject REF --recipient EMAIL [--agent NAME] [--days N]
        [--property name=value]... [--json]
                                          Mint the links of one message (one URL per answer);
                                          properties (at most 10) segment reports, e.g. organization=ACME.
  snippet --survey ID [--preset P] [--style S] [--agent NAME] [--locale L] [--text] [--json]
                                          The HTML to paste into a signature or macro (signature links).
                                          Presets: ${PRESET_NAMES.join(', ')}
                                          (default plain). Styles: ${SNIPPET_STYLES.join(', ')} (default emoji).
  signature-link sources <sl_…> [--json]  Who voted through a signature link per UTC day (networks, browsers),
                                          and the clicks refused beyond the caps (last 30 days).
  responses [--survey ID] [--subject REF] [--recipient EMAIL] [--since DATE]
            [--status counted|pending|bot|all] [--limit N] [--cursor C] [--json]
                                          List responses, newest first.
  response show <id> [--json]             One response with every click, its signals and classification.
  response classify <id> --status counted|bot [--event evt_…] [--json]
                                          Override a classification: counted marks a click (default the
                                          last) as a person's; bot marks a click (default every click) as a robot's.
  respondent erase <email> [--suppress] [--json]
                                          Erase everything the workspace stores about an address (GDPR art. 17):
                                          responses, history and signals, contacts, webhook rows. --suppress keeps
                                          only a keyed hash so new links for it are refused. Prints what went, per kind.
  respondent export <email> --out FILE    Everything the workspace stores about an address (GDPR art. 15),
                                          as JSON, written to FILE (mode 0600: it holds personal data).
  backup <file> [--json]                  A consistent copy of the embedded database, taken while the
                                          service runs (VACUUM INTO), checked with PRAGMA integrity_check.
  restore <file> [--json]                 Put a backup in place (refused while the service runs); the
                                          previous database is kept as <name>.before-restore-<time>.
  webhook create --url URL [--events a,b] [--description TEXT] [--json]
                                          Register a webhook endpoint; prints its signing secret (shown once).
                                          Events: ${WEBHOOK_EVENT_TYPES.join(', ')} (default feedback.negative).
  webhook list [--json]                   List the workspace's webhook endpoints.
  webhook update <id> [--url URL] [--events a,b] [--description TEXT] [--pause|--resume] [--json]
                                          Change an endpoint; resuming sends what queued up while paused.
  webhook delete <id>                     Delete an endpoint and its deliveries.
  webhook rotate-secret <id> [--json]     New signing secret (shown once); the old one also signs for 24 h.
  webhook ping <id> [--json]              Send a webhook.ping now and report the receiver's answer.
  webhook deliveries <id> [--status pending|succeeded|failed] [--limit N] [--cursor C] [--json]
                                          List an endpoint's deliveries, newest first.
  webhook retry <id> <delivery-id> [--json]
                                          Send a pending or failed delivery again now (same webhook-id).
  webhook replay <id> <event-id> [--json] Send an event again now as a new delivery (new webhook-id).
  keys generate                           Print fresh LINK_KEYS and FORM_KEYS values.

Options:
  --workspace ID   Which workspace (optional when the database has only one).
  --json           Print JSON instead of text.
  -h, --help       Show this help.

Environment: DATABASE_URL (default ${DEFAULT_DATABASE_URL}), DATABASE_AUTH_TOKEN,
PUBLIC_URL, LINK_KEYS, FORM_KEYS, LINK_TTL_DAYS, ALLOW_INSECURE_WEBHOOKS — the same as the service.
ping, retry, replay and update --resume send from this process (no server needed) and exit 1
when the receiver did not accept the message.
`;

type Flags = Record<string, string | boolean | string[] | undefined>;

class UsageError extends Error {}

/** A webhook message was attempted and the receiver did not take it (the outcome is already printed). */
class NotDeliveredError extends Error {}

function required(flags: Flags, name: string): string {
  const value = flags[name];
  if (typeof value !== 'string' || !value.trim()) throw new UsageError(`--${name} is required`);
  return value.trim();
}

function optional(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** `--property name=value` flags as the API's `properties` object (undefined when none). */
function propertyFlags(values: unknown): Record<string, string> | undefined {
  if (!Array.isArray(values) || !values.length) return undefined;
  const out: Record<string, string> = {};
  for (const pair of values as string[]) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UsageError(`--property must be name=value (got "${pair}")`);
    const name = pair.slice(0, at).trim();
    if (name in out) throw new UsageError(`--property ${name} is given twice`);
    out[name] = pair.slice(at + 1);
  }
  return out;
}

/**
 * Input the API also takes, validated by the schema the API validates it with (`parseWith`);
 * a failure names the flags (`--scale must be one of …`) instead of the JSON fields.
 */
function parseInput<S extends Parameters<typeof parseWith>[0]>(schema: S, input: Record<string, unknown>, flagOf: Record<string, string> = {}) {
  try {
    return parseWith(schema, input) as ReturnType<typeof parseWith<S>>;
  } catch (error) {
    const fields = error instanceof AppError ? (error.details as { fields?: { path: string; message: string }[] } | undefined)?.fields : undefined;
    if (!fields) throw error;
    throw new UsageError(fields.map(({ path, message }) => `--${flagOf[path.split('.')[0]!] ?? path} ${message.replace(/\.$/, '')}`).join('; '));
  }
}

async function pickWorkspace(db: Db, flags: Flags): Promise<string> {
  const id = optional(flags, 'workspace');
  const all = await listWorkspaces(db);
  if (id) {
    if (!all.some((w) => w.id === id)) throw new UsageError(`no workspace ${id}`);
    return id;
  }
  if (all.length === 1 && all[0]) return all[0].id;
  throw new UsageError(all.length ? 'several workspaces exist: pass --workspace ID' : 'no workspace yet: run "workspace create <name>"');
}

function print(flags: Flags, json: unknown, text: string): void {
  console.log(flags.json ? JSON.stringify(json, null, 2) : text);
}

type DeliveryView = Awaited<ReturnType<typeof getDeliveryJson>>;

/** One delivery on one line: when, id, status, attempts, event, and the receiver's last answer. */
function deliveryLine(d: DeliveryView): string {
  const answer = d.lastError ?? (d.lastStatus === null ? '' : `HTTP ${d.lastStatus}`);
  return `${d.createdAt}  ${d.id}  ${d.status.padEnd(9)} ${String(d.attempts).padStart(2)}×  ${d.event.type.padEnd(18)} ${d.event.id}${answer ? `  ${answer}` : ''}`;
}

/** How `respondent erase` names each count (one per `ERASURE_KINDS`). */
const ERASED_WORDS: Record<ErasureKind, string> = { responses: 'responses', events: 'events', contacts: 'contacts', followUps: 'follow-ups', followUpNotes: 'follow-up notes', followUpLog: 'follow-up log entries', reviewClicks: 'review clicks', webhookEvents: 'webhook events', webhookDeliveries: 'webhook deliveries' };

/** What became of a delivery this process just tried to send; throws NotDeliveredError after printing when it did not go through. */
function reportOutcome(flags: Flags, what: string, delivery: DeliveryView, paused: boolean): void {
  let text: string;
  if (delivery.status === 'succeeded') text = `${what} ${delivery.id} delivered (HTTP ${delivery.lastStatus})`;
  else if (paused) text = `${what} ${delivery.id} queued: the endpoint is paused, it is sent when resumed`;
  else text = `${what} ${delivery.id} NOT delivered: ${delivery.lastError ?? 'not attempted'}${delivery.nextAttemptAt ? `\nthe service retries it at ${delivery.nextAttemptAt}; to retry now: webhook retry ${delivery.endpoint} ${delivery.id}` : ''}`;
  print(flags, delivery, text);
  if (delivery.status !== 'succeeded' && !paused) throw new NotDeliveredError(`${what} ${delivery.id} was not delivered`);
}

function requireId(value: string | undefined, usage: string): string {
  if (!value?.trim()) throw new UsageError(usage);
  return value.trim();
}

const WEBHOOK_COMMANDS = new Set(['create', 'list', 'update', 'delete', 'rotate-secret', 'ping', 'deliveries', 'retry', 'replay']);

async function runWebhookCommand(sub: string, rest: string[], flags: Flags, deps: WebhookServiceDeps, workspaceId: string): Promise<void> {
  const [id, other] = rest;
  if (sub === 'create') {
    const created = await createEndpoint(deps, workspaceId, { url: required(flags, 'url'), events: optional(flags, 'events'), description: flags.description });
    print(flags, created, `webhook ${created.id} → ${created.url} (${created.events.join(', ')})\nsigning secret (shown only now): ${created.secret}`);
  } else if (sub === 'list') {
    const all = await listEndpointsJson(deps, workspaceId);
    const text = all
      .map((e) => `${e.id}  ${(e.status === 'paused' ? `paused (${e.pausedReason ?? 'manual'})` : e.status).padEnd(15)} ${e.url}  ${e.events.join(',')}${e.description ? `  — ${e.description}` : ''}`)
      .join('\n');
    print(flags, { data: all }, text || '(no webhooks)');
  } else if (sub === 'update') {
    const endpointId = requireId(id, 'webhook update <id> [--url URL] [--events a,b] [--description TEXT] [--pause|--resume]');
    if (flags.pause && flags.resume) throw new UsageError('pass --pause or --resume, not both');
    const input = { url: optional(flags, 'url'), events: optional(flags, 'events'), description: flags.description, status: flags.pause ? 'paused' : flags.resume ? 'active' : undefined };
    if (Object.values(input).every((value) => value === undefined)) throw new UsageError('nothing to change: pass --url, --events, --description, --pause or --resume');
    const updated = await changeEndpoint(deps, workspaceId, endpointId, input);
    // Resumed: what queued up while it was paused goes out now, as the API does.
    const sent: DispatchSummary | null = flags.resume ? await deps.dispatcher.run() : null;
    const queued = sent?.attempted ? `\nsent ${sent.succeeded} of ${sent.attempted} queued deliveries${sent.failed ? ` (${sent.failed} failed: see "webhook deliveries ${updated.id} --status pending")` : ''}` : '';
    print(flags, sent ? { ...updated, sent } : updated, `webhook ${updated.id} ${updated.status}  ${updated.url} (${updated.events.join(', ')})${queued}`);
  } else if (sub === 'delete') {
    const endpointId = requireId(id, 'webhook delete <id>');
    await removeEndpoint(deps, workspaceId, endpointId);
    print(flags, { deleted: endpointId }, `deleted ${endpointId}`);
  } else if (sub === 'rotate-secret') {
    const rotated = await rotateSecret(deps, workspaceId, requireId(id, 'webhook rotate-secret <id>'));
    print(flags, rotated, `webhook ${rotated.id}: new signing secret (shown only now): ${rotated.secret}\nthe previous secret also signs until ${rotated.previousSecretExpiresAt}`);
  } else if (sub === 'ping') {
    reportOutcome(flags, 'ping', await pingEndpoint(deps, workspaceId, requireId(id, 'webhook ping <id>')), false);
  } else if (sub === 'deliveries') {
    const endpointId = requireId(id, 'webhook deliveries <id> [--status pending|succeeded|failed] [--limit N]');
    const { data, next } = await listDeliveryPage(deps, workspaceId, endpointId, { status: optional(flags, 'status'), limit: optional(flags, 'limit'), cursor: optional(flags, 'cursor') });
    print(flags, { data, next }, (data.map(deliveryLine).join('\n') || '(no deliveries)') + (next ? `\nmore: --cursor ${next}` : ''));
  } else if (sub === 'retry' || sub === 'replay') {
    const usage = sub === 'retry' ? 'webhook retry <id> <delivery-id>' : 'webhook replay <id> <event-id>';
    const endpointId = requireId(id, usage);
    const target = requireId(other, usage);
    const queued = sub === 'retry' ? await retryDeliveryNow(deps, workspaceId, endpointId, target) : await replayEvent(deps, workspaceId, endpointId, target);
    // No server has to be running: this process sends it and reports what the receiver said.
    await deps.dispatcher.deliver([queued.id]);
    const endpoint = await getEndpointJson(deps, workspaceId, endpointId);
    reportOutcome(flags, sub, await getDeliveryJson(deps, workspaceId, endpointId, queued.id), endpoint.status === 'paused');
  }
}

export async function runCli(argv: string[], env: RawEnv = process.env): Promise<void> {
  const { positionals, values: flags } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
      workspace: { type: 'string' },
      name: { type: 'string' },
      scale: { type: 'string' },
      question: { type: 'string' },
      translation: { type: 'string', multiple: true },
      locale: { type: 'string' },
      survey: { type: 'string' },
      subject: { type: 'string' },
      recipient: { type: 'string' },
      agent: { type: 'string' },
      property: { type: 'string', multiple: true },
      days: { type: 'string' },
      since: { type: 'string' },
      status: { type: 'string' },
      event: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
      url: { type: 'string' },
      events: { type: 'string' },
      description: { type: 'string' },
      pause: { type: 'boolean' },
      preset: { type: 'string' },
      style: { type: 'string' },
      text: { type: 'boolean' },
      resume: { type: 'boolean' },
      suppress: { type: 'boolean' },
      out: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
    },
  });
  const [command, sub, ...rest] = positionals;
  if (flags.help || !command) {
    console.log(HELP);
    return;
  }
  if (command === 'keys' && sub === 'generate') {
    console.log(`LINK_KEYS=${generateKeyEntry(`k${Date.now().toString(36)}`)}\nFORM_KEYS=${generateKeyEntry(`f${Date.now().toString(36)}`)}`);
    return;
  }

  const log = (line: string) => console.error(line);
  const config = loadConfig(withDevKeys(env, resolve('data/dev-keys.json'), log), { databaseUrl: DEFAULT_DATABASE_URL });
  if (command === 'backup' || command === 'restore') {
    // Before the database is opened: a restore replaces the file, and neither migrates anything.
    if (!sub) throw new UsageError(`${command} <file>`);
    if (command === 'backup') {
      const { path, bytes } = await backupDatabase(config.databaseUrl, sub);
      print(flags, { path, bytes }, `backup written to ${path} (${bytes} bytes, integrity ok)`);
    } else {
      const { keptAs } = await restoreDatabase(config.databaseUrl, sub);
      print(flags, { restored: resolve(sub), keptAs }, `restored ${resolve(sub)}${keptAs ? `; the previous database is kept as ${keptAs}` : ''}`);
    }
    return;
  }
  const client = await openNodeDatabase(config.databaseUrl, config.databaseAuthToken, { synchronous: config.databaseSynchronous });
  try {
    await applyMigrations(client, loadMigrations());
    const db = createDb(client);
    const now = new Date();
    // After an erasure, a TRUNCATE checkpoint empties the WAL that held the erased pages (a file only).
    const deps = { db, config, clock: () => now, compact: databaseFilePath(config.databaseUrl) ? () => truncateWal(client) : undefined };

    if (command === 'workspace' && sub === 'create') {
      const name = rest.join(' ').trim() || optional(flags, 'name');
      if (!name) throw new UsageError('workspace create <name>');
      const { workspace, apiKey } = await createWorkspace(db, name, now);
      const setupUrl = await createSetupLink(db, { workspaceId: workspace.id, now, publicUrl: config.publicUrl });
      print(
        flags,
        { workspace: { id: workspace.id, name: workspace.name }, apiKey, setupUrl },
        `workspace ${workspace.id} "${workspace.name}"\nAPI key (shown only now): ${apiKey}\nOwner's setup link (works once, for 24 hours): ${setupUrl}`,
      );
    } else if (command === 'workspace' && sub === 'setup-link') {
      const workspaceId = await pickWorkspace(db, flags);
      const setupUrl = await createSetupLink(db, { workspaceId, now, publicUrl: config.publicUrl });
      print(flags, { workspace: workspaceId, setupUrl }, `Owner's setup link (works once, for 24 hours): ${setupUrl}`);
    } else if (command === 'member' && sub === 'invite') {
      const workspaceId = await pickWorkspace(db, flags);
      const role = required(flags, 'role');
      if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      let inviteUrl: string;
      try {
        inviteUrl = await createInvite(db, { workspaceId, email: required(flags, 'email'), role, now, publicUrl: config.publicUrl });
      } catch (error) {
        if (error instanceof FormProblem) throw new UsageError('--email must be an email address');
        throw error;
      }
      print(flags, { inviteUrl }, `Invitation link (works once, for 7 days): ${inviteUrl}`);
    } else if (command === 'workspace' && sub === 'list') {
      const all = await listWorkspaces(db);
      print(flags, { data: all.map((w) => ({ id: w.id, name: w.name })) }, all.map((w) => `${w.id}  ${w.name}`).join('\n') || '(no workspaces)');
    } else if (command === 'key' && sub === 'create') {
      const workspaceId = await pickWorkspace(db, flags);
      const key = await createApiKey(db, workspaceId, optional(flags, 'name') ?? 'cli', now);
      print(flags, { id: key.id, workspace: workspaceId, apiKey: key.apiKey }, `key ${key.id}\nAPI key (shown only now): ${key.apiKey}`);
    } else if (command === 'key' && sub === 'revoke') {
      const keyId = rest[0];
      if (!keyId) throw new UsageError('key revoke <key-id>');
      if (!(await revokeApiKey(db, await pickWorkspace(db, flags), keyId, now))) throw new UsageError(`no active key ${keyId}`);
      print(flags, { revoked: keyId }, `revoked ${keyId}`);
    } else if (command === 'survey' && sub === 'create') {
      const workspaceId = await pickWorkspace(db, flags);
      const translations: Record<string, string> = {};
      for (const entry of (flags.translation as string[] | undefined) ?? []) {
        const match = /^([a-z]{2}(?:-[A-Z]{2})?)=(.+)$/s.exec(entry);
        if (!match?.[1] || !match[2]) throw new UsageError('--translation takes lang=text, e.g. --translation it="Com\'è andata?"');
        translations[match[1]] = match[2];
      }
      const input = parseInput(
        SurveyCreate,
        { name: flags.name, scale: flags.scale, question: flags.question, translations, locale: optional(flags, 'locale') ?? null },
        { translations: 'translation' },
      );
      const locale = input.locale ?? null;
      const survey = await insertSurvey(db, workspaceId, { name: input.name, scale: input.scale, locale, ...surveyQuestion(input, locale) }, now);
      print(flags, surveyJson(survey), `survey ${survey.id} "${survey.name}" (${survey.scale})`);
    } else if (command === 'survey' && sub === 'list') {
      const all = await listSurveys(db, await pickWorkspace(db, flags));
      print(flags, { data: all.map(surveyJson) }, all.map((s) => `${s.id}  ${s.scale.padEnd(6)}  ${s.name}  — ${s.question}`).join('\n') || '(no surveys)');
    } else if (command === 'links') {
      const workspaceId = await pickWorkspace(db, flags);
      const days = optional(flags, 'days');
      const input = parseInput(
        LinksCreate,
        {
          survey: flags.survey,
          subject: flags.subject,
          recipient: flags.recipient,
          agent: optional(flags, 'agent'),
          expiresInDays: days ? Number(days) : undefined,
          properties: propertyFlags(flags.property),
        },
        { expiresInDays: 'days', properties: 'property' },
      );
      const minted = await mintLinks(deps, workspaceId, {
        surveyId: input.survey,
        subject: input.subject,
        recipient: input.recipient,
        agent: input.agent ?? null,
        expiresInDays: input.expiresInDays ?? undefined,
        properties: input.properties ?? undefined,
      });
      print(flags, minted, `${minted.links.map((l) => `${String(l.score).padStart(2)}  ${l.label.padEnd(28)} ${l.url}`).join('\n')}\n(expires ${minted.expiresAt})`);
    } else if (command === 'snippet') {
      const workspaceId = await pickWorkspace(db, flags);
      const input = parseInput(SnippetCreate, {
        survey: flags.survey,
        preset: optional(flags, 'preset'),
        style: optional(flags, 'style'),
        agent: optional(flags, 'agent'),
        locale: optional(flags, 'locale'),
      });
      const snippet = await buildSnippet(deps, workspaceId, {
        surveyId: input.survey,
        preset: input.preset ?? 'plain',
        style: input.style ?? 'emoji',
        agent: input.agent ?? null,
        locale: input.locale ?? undefined,
      });
      print(flags, snippet, flags.text ? snippet.text : snippet.html);
    } else if (command === 'signature-link' && sub === 'sources') {
      const { link, data } = await listVoteSources(deps, await pickWorkspace(db, flags), requireId(rest[0], 'signature-link sources <signature-link-id>'));
      const text = data.map((r) => `${r.day}  ${r.source.padEnd(40)} ${String(r.responses).padStart(5)} counted${r.excess ? `  ${r.excess} refused (${r.firstExcessAt} – ${r.lastExcessAt})` : ''}`).join('\n');
      print(flags, { link, data }, text || '(no votes in the last 30 days)');
    } else if (command === 'responses') {
      const workspaceId = await pickWorkspace(db, flags);
      const surveyId = optional(flags, 'survey');
      if (surveyId && !(await getSurvey(db, workspaceId, surveyId))) throw new UsageError(`no survey ${surveyId} in this workspace`);
      const { data, next } = await listResponsePage(db, workspaceId, {
        survey: surveyId,
        subject: optional(flags, 'subject'),
        recipient: optional(flags, 'recipient'),
        since: optional(flags, 'since'),
        status: optional(flags, 'status'),
        limit: optional(flags, 'limit') ?? '50',
        cursor: optional(flags, 'cursor'),
      });
      const text = data
        .map((r) => `${r.firstAnsweredAt}  ${r.id}  ${String(r.score).padStart(2)} ${r.sentiment.padEnd(8)} ${r.subject}  ${r.recipient}${r.comment ? `\n      “${r.comment.replace(/\s+/g, ' ').slice(0, 120)}”` : ''}`)
        .join('\n');
      print(flags, { data, next }, (text || '(no responses)') + (next ? `\nmore: --cursor ${next}` : ''));
    } else if (command === 'response' && sub === 'classify') {
      // An admin's override: the service's timer or Cron Trigger sends any webhooks it queues.
      const id = requireId(rest[0], 'response classify <response-id> --status counted|bot [--event evt_…]');
      const { response } = await overrideResponseStatus(deps, await pickWorkspace(db, flags), id, { status: required(flags, 'status'), event: optional(flags, 'event') }, 'cli');
      print(flags, response, `${response.id}  ${response.status}  score ${response.score} (${response.sentiment})`);
    } else if (command === 'response' && sub === 'show') {
      const response = await getResponseWithEvents(db, await pickWorkspace(db, flags), requireId(rest[0], 'response show <response-id>'));
      const history = response.events.map((e) => `  ${e.at}  ${e.id}  ${e.kind.padEnd(10)} ${String(e.score ?? '-').padStart(2)}  ${String(e.status).padEnd(7)} ${e.reason ?? ''}`).join('\n');
      print(flags, response, `${response.id}  ${response.status}  score ${response.score} (${response.sentiment})\n${history}`);
    } else if (command === 'respondent' && sub === 'erase') {
      const email = rest[0];
      if (!email) throw new UsageError('respondent erase <email> [--suppress]');
      const erased = await eraseRespondent(deps, await pickWorkspace(db, flags), email, { suppress: flags.suppress === true });
      const text = `erased ${ERASURE_KINDS.map((kind) => `${erased[kind]} ${ERASED_WORDS[kind]}`).join(', ')}${erased.suppressed ? '; the address is suppressed' : ''}`;
      print(flags, erased, text);
    } else if (command === 'respondent' && sub === 'export') {
      const email = rest[0];
      if (!email) throw new UsageError('respondent export <email> --out FILE');
      const out = required(flags, 'out');
      const exported = await exportRespondent(deps, await pickWorkspace(db, flags), email);
      writeFileSync(out, `${JSON.stringify(exported, null, 2)}\n`, { mode: 0o600 });
      chmodSync(out, 0o600);
      print(flags, { out: resolve(out), responses: exported.responses.length }, `wrote ${exported.responses.length} responses about ${exported.email} to ${resolve(out)}`);
    } else if (command === 'webhook' && sub && WEBHOOK_COMMANDS.has(sub)) {
      // The CLI is its own dispatcher: ping, retry, replay and resume send from this process, with
      // the same URL checks and signing as the service, and report the receiver's answer.
      const dispatcher = createDispatcher({
        db,
        clock: () => new Date(),
        fetch: guardedFetch({ allowInsecure: config.allowInsecureWebhooks }),
        checkUrl: nodeUrlChecker({ allowInsecure: config.allowInsecureWebhooks }),
        logError: (message, fields) => log(`warning: ${message} ${JSON.stringify(fields)}`),
        publicUrl: config.publicUrl,
      });
      await runWebhookCommand(sub, rest, flags, { ...deps, dispatcher }, await pickWorkspace(db, flags));
    } else {
      throw new UsageError(`unknown command "${positionals.join(' ')}"; see --help`);
    }
  } finally {
    client.close();
  }
}

const isMain = process.argv[1] && resolve(process.argv[1]).endsWith('cli.ts');
if (isMain) {
  runCli(process.argv.slice(2)).catch((error: unknown) => {
    // The service's stable code too, so scripts branch on it as API callers do (RECIPIENT_SUPPRESSED, NOT_FOUND, …).
    if (error instanceof AppError) console.error(`error: ${error.message} (${error.code})`);
    else if (error instanceof UsageError || error instanceof ConfigError || error instanceof NotDeliveredError || error instanceof BackupError) console.error(`error: ${error.message}`);
    else if (error instanceof Error && 'code' in error && String((error as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) console.error(`error: ${error.message}\nsee --help`);
    else console.error(error);
    process.exitCode = 1;
  });
}
