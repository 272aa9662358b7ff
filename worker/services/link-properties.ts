import type { InStatement } from '@libsql/client';
import { AppError } from '../lib/errors';
import { LINE_BREAKING } from '../lib/fields';
import { sha256Hex } from '../lib/encoding';
import { ALPHABET } from '../lib/ids';
import { PROPERTIES_ID_PREFIX } from '../lib/link-token';

/**
 * Segment properties of per-message links (issue 15): up to `MAX_PROPERTIES` string pairs such as
 * `{"organization":"ACME srl","project":"P-12"}` that stay with the response and break reports
 * down (`groupBy=property:organization`).
 *
 * A link cannot carry them (links stay under 300 characters), so the set is stored at mint time,
 * keyed by a hash of the workspace and the canonical set: minting the same set again writes
 * nothing new, and the token carries only the id's 16 characters. The click copies that id into
 * its response inside its own upsert, so it stays one round trip.
 */

/** A property name: a lower-case identifier of up to 32 characters. */
export const PROPERTY_NAME = /^[a-z][a-z0-9_]{0,31}$/;
/** At most this many properties per link. */
export const MAX_PROPERTIES = 10;
/** A property value: 1 to 100 characters on one line. */
export const PROPERTY_VALUE_MAX = 100;
// A set's id is `PROPERTIES_ID_PREFIX` and 12 base32 characters (60 bits of SHA-256): what the
// token carries after the prefix (links stay under 300 characters). A collision with another set
// is checked at mint time.

export type LinkProperties = Record<string, string>;

/**
 * Checks a `properties` object and returns it with names sorted (its canonical form), or null
 * when absent or empty. VALIDATION_FAILED with field `properties` otherwise.
 */
export function parseLinkProperties(value: unknown): LinkProperties | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('"properties" must be an object of string values.');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_PROPERTIES) throw invalid(`"properties" holds at most ${MAX_PROPERTIES} names.`);
  for (const [name, text] of entries) {
    if (!PROPERTY_NAME.test(name)) throw invalid(`Property name "${name.slice(0, 40)}" must start with a-z and hold only a-z, 0-9 and _ (at most 32 characters).`);
    if (typeof text !== 'string' || !text.trim() || text.length > PROPERTY_VALUE_MAX || LINE_BREAKING.test(text)) {
      throw invalid(`Property "${name}" must be a string of 1 to ${PROPERTY_VALUE_MAX} characters on one line.`);
    }
  }
  if (!entries.length) return null;
  return Object.fromEntries(entries.map(([name, text]) => [name, (text as string).trim()]).sort(([a], [b]) => (a! < b! ? -1 : 1)));
}

function invalid(message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { field: 'properties' });
}

/** The id of a set in a workspace: `prp_` + 12 base32 characters of SHA-256(workspace, canonical JSON). */
export async function linkPropertiesId(workspaceId: string, properties: LinkProperties): Promise<string> {
  const hex = await sha256Hex(`${workspaceId}\u0000${JSON.stringify(properties)}`);
  let bits = BigInt(`0x${hex.slice(0, 15)}`); // 60 bits
  let out = '';
  for (let i = 0; i < 12; i++) {
    out = ALPHABET[Number(bits & 31n)] + out;
    bits >>= 5n;
  }
  return PROPERTIES_ID_PREFIX + out;
}

/**
 * The statements that store a set once (nothing when it exists already). The last one reads the
 * stored row back: `checkStoredSet` refuses a hash collision with another set (60 bits: about one
 * in 10^9 at a million sets) rather than let two sets share an id.
 */
export function linkPropertiesStatements(id: string, workspaceId: string, properties: LinkProperties, now: number): InStatement[] {
  const names = Object.keys(properties);
  return [
    { sql: 'INSERT INTO link_properties (id, workspace_id, properties, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', args: [id, workspaceId, JSON.stringify(properties), now] },
    {
      sql: `INSERT INTO link_property_values (properties_id, name, value) VALUES ${names.map(() => '(?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`,
      args: names.flatMap((name) => [id, name, properties[name]!]),
    },
    { sql: 'SELECT workspace_id, properties FROM link_properties WHERE id = ?', args: [id] },
  ];
}

/** Throws when the row stored under a set's id is another set (see `linkPropertiesStatements`). */
export function checkStoredSet(row: Record<string, unknown> | undefined, workspaceId: string, properties: LinkProperties): void {
  if (!row || row.workspace_id !== workspaceId || row.properties !== JSON.stringify(properties)) {
    throw new Error('link_properties: the id of this set is taken by another set (hash collision)');
  }
}

/** Parses a stored set (`link_properties.properties`). */
export function storedProperties(json: string | null | undefined): LinkProperties | null {
  return json ? (JSON.parse(json) as LinkProperties) : null;
}
