/**
 * Prefixed random ids (`rsp_…`, `sv_…`). Lower-case Crockford base32: URL-safe, case-insensitive,
 * no look-alike characters, so an id survives being read aloud or pasted into a ticket.
 */
export const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Random bytes are drawn from the CSPRNG 4 KiB at a time: a `getRandomValues` call per id cost
 * about 4% of a click on Node. Each byte is used once.
 */
const POOL_SIZE = 4096;
let pool = new Uint8Array(0);
let offset = 0;

/** `bits` of randomness encoded as base32 (5 bits a character). */
export function randomBase32(bits: number): string {
  const length = Math.ceil(bits / 5);
  if (offset + length > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_SIZE));
    offset = 0;
  }
  let out = '';
  for (let i = offset; i < offset + length; i++) out += ALPHABET[pool[i]! & 31];
  offset += length;
  return out;
}

export const ID_PREFIXES = {
  workspace: 'ws',
  apiKey: 'key',
  survey: 'sv',
  response: 'rsp',
  event: 'evt',
  link: 'lnk',
  webhook: 'wh',
  webhookEvent: 'whe',
  delivery: 'whd',
  signatureLink: 'sl',
  person: 'per',
  followUp: 'fu',
  followUpNote: 'fun',
} as const;

/**
 * The kinds written on every click or webhook: their ids start with the time, so each new one
 * sorts after the last and its primary-key index grows at its right edge, like a UUIDv7 or ULID
 * (RFC 9562 §5.7). With purely random ids every insert dirtied a random page of each index:
 * measured on the click write at 20,000 responses, the commit cost 116 µs a click with random ids
 * and 35 µs with time-ordered ones (`scripts/bench.ts`).
 */
const TIME_ORDERED: ReadonlySet<keyof typeof ID_PREFIXES> = new Set(['response', 'event', 'webhookEvent', 'delivery']);

/** Milliseconds since 1970 as 10 base32 characters (50 bits: good until the year 37,648). */
function timePrefix(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

/** Ids that only need to be unique: 80 random bits (after the time, for the kinds written on every click). */
export function newId(kind: keyof typeof ID_PREFIXES): string {
  return `${ID_PREFIXES[kind]}_${TIME_ORDERED.has(kind) ? timePrefix(Date.now()) : ''}${randomBase32(80)}`;
}

/**
 * Response ids address the thank-you page without any login, so they are capabilities: 130 random
 * bits, after the time they are created (which the page shows anyway).
 */
export function newResponseId(): string {
  return `${ID_PREFIXES.response}_${timePrefix(Date.now())}${randomBase32(130)}`;
}

/**
 * The same kind of id made by SQLite inside a write, for rows a statement fans out (one delivery per
 * subscribed endpoint): 80 random bits as 20 hex digits, which are also Crockford base32 characters,
 * after `atMs` (an SQL expression: the time in ms) as the same 10 base32 characters `newId` writes,
 * for the time-ordered kinds, so ids made in SQL and in code sort together.
 */
export function sqlNewId(kind: keyof typeof ID_PREFIXES, atMs?: string): string {
  let time = '';
  if (atMs && TIME_ORDERED.has(kind)) {
    for (let shift = 45; shift >= 0; shift -= 5) time += ` || substr('${ALPHABET}', ((${atMs}) >> ${shift} & 31) + 1, 1)`;
  }
  return `('${ID_PREFIXES[kind]}_'${time} || lower(hex(randomblob(10))))`;
}

const ID_PATTERNS = Object.fromEntries(Object.entries(ID_PREFIXES).map(([kind, prefix]) => [kind, new RegExp(`^${prefix}_[${ALPHABET}]{16,40}$`)])) as Record<keyof typeof ID_PREFIXES, RegExp>;

/** True when `value` looks like an id of that kind (cheap check before touching the database). */
export function isId(kind: keyof typeof ID_PREFIXES, value: string): boolean {
  return ID_PATTERNS[kind].test(value);
}
