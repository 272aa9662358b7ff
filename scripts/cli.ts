/**
 * The clickback command line: `npm run cli -- <command> [options]`.
 *
 * Works against whatever DATABASE_URL points at (the local file by default, or a `libsql://` Turso
 * URL with DATABASE_AUTH_TOKEN), with the same keys as the service, so it serves a local install and
 * a deployed one alike.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type RawEnv } from '../worker/config';
import { createDb, type Db } from '../worker/db';
import { applyMigrations } from '../worker/db/migrate';
import { getSurvey, insertSurvey, listSurveys } from '../worker/db/surveys';
import { createApiKey, createWorkspace, listWorkspaces, revokeApiKey } from '../worker/db/workspaces';
import { DEFAULT_DATABASE_URL } from '../worker/entry-node';
import { AppError } from '../worker/lib/errors';
import { isLocale } from '../worker/lib/i18n';
import { openNodeDatabase } from '../worker/node/database';
import { generateKeyEntry, withDevKeys } from '../worker/node/dev-keys';
import { loadMigrations } from '../worker/node/migrations';
import { surveyJson } from '../worker/services/representations';
import { mintLinks } from '../worker/services/links';
import { listResponsePage } from '../worker/services/responses';
import { isScale, SCALES } from '../schema/scales';

const HELP = `clickback command line

Usage: npm run cli -- <command> [options]

Commands:
  workspace create <name> [--json]        Create a workspace and its first API key (shown once).
  workspace list [--json]                 List workspaces.
  key create [--workspace ID] [--name N]  Add an API key to a workspace (shown once).
  key revoke <key-id> [--workspace ID]    Revoke an API key.
  survey create --name N --scale S --question Q [--translation it="…"]... [--locale en|it]
                                          Create a survey. Scales: ${SCALES.join(', ')}.
  survey list [--json]                    List the workspace's surveys.
  links --survey ID --subject REF --recipient EMAIL [--agent NAME] [--days N] [--json]
                                          Mint the links of one message (one URL per answer).
  responses [--survey ID] [--subject REF] [--recipient EMAIL] [--since DATE]
            [--status counted|pending|bot|all] [--limit N] [--cursor C] [--json]
                                          List responses, newest first.
  keys generate                           Print fresh LINK_KEYS and FORM_KEYS values.

Options:
  --workspace ID   Which workspace (optional when the database has only one).
  --json           Print JSON instead of text.
  -h, --help       Show this help.

Environment: DATABASE_URL (default ${DEFAULT_DATABASE_URL}), DATABASE_AUTH_TOKEN,
PUBLIC_URL, LINK_KEYS, FORM_KEYS, LINK_TTL_DAYS — the same as the service.
`;

type Flags = Record<string, string | boolean | string[] | undefined>;

class UsageError extends Error {}

function required(flags: Flags, name: string): string {
  const value = flags[name];
  if (typeof value !== 'string' || !value.trim()) throw new UsageError(`--${name} is required`);
  return value.trim();
}

function optional(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
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
      days: { type: 'string' },
      since: { type: 'string' },
      status: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
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
  const client = await openNodeDatabase(config.databaseUrl, config.databaseAuthToken);
  try {
    await applyMigrations(client, loadMigrations());
    const db = createDb(client);
    const now = new Date();
    const deps = { db, config, clock: () => now };

    if (command === 'workspace' && sub === 'create') {
      const name = rest.join(' ').trim() || optional(flags, 'name');
      if (!name) throw new UsageError('workspace create <name>');
      const { workspace, apiKey } = await createWorkspace(db, name, now);
      print(flags, { workspace: { id: workspace.id, name: workspace.name }, apiKey }, `workspace ${workspace.id} "${workspace.name}"\nAPI key (shown only now): ${apiKey}`);
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
      const scale = required(flags, 'scale');
      if (!isScale(scale)) throw new UsageError(`--scale must be one of ${SCALES.join(', ')}`);
      const locale = optional(flags, 'locale') ?? null;
      if (locale !== null && !isLocale(locale)) throw new UsageError('--locale must be en or it');
      const questionI18n: Record<string, string> = {};
      for (const entry of (flags.translation as string[] | undefined) ?? []) {
        const match = /^([a-z]{2}(?:-[A-Z]{2})?)=(.+)$/s.exec(entry);
        if (!match?.[1] || !match[2]) throw new UsageError('--translation takes lang=text, e.g. --translation it="Com\'è andata?"');
        questionI18n[match[1]] = match[2].trim();
      }
      const survey = await insertSurvey(db, workspaceId, { name: required(flags, 'name'), scale, question: required(flags, 'question'), questionI18n, locale }, now);
      print(flags, surveyJson(survey), `survey ${survey.id} "${survey.name}" (${survey.scale})`);
    } else if (command === 'survey' && sub === 'list') {
      const all = await listSurveys(db, await pickWorkspace(db, flags));
      print(flags, { data: all.map(surveyJson) }, all.map((s) => `${s.id}  ${s.scale.padEnd(6)}  ${s.name}  — ${s.question}`).join('\n') || '(no surveys)');
    } else if (command === 'links') {
      const workspaceId = await pickWorkspace(db, flags);
      const days = optional(flags, 'days');
      const minted = await mintLinks(deps, workspaceId, {
        surveyId: required(flags, 'survey'),
        subject: required(flags, 'subject'),
        recipient: required(flags, 'recipient'),
        agent: optional(flags, 'agent') ?? null,
        expiresInDays: days ? Number(days) : undefined,
      });
      print(flags, minted, `${minted.links.map((l) => `${String(l.score).padStart(2)}  ${l.label.padEnd(28)} ${l.url}`).join('\n')}\n(expires ${minted.expiresAt})`);
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
    if (error instanceof UsageError || error instanceof AppError || error instanceof ConfigError) console.error(`error: ${error.message}`);
    else if (error instanceof Error && 'code' in error && String((error as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) console.error(`error: ${error.message}\nsee --help`);
    else console.error(error);
    process.exitCode = 1;
  });
}
