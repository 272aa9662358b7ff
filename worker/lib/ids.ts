/**
 * Prefixed random ids (`rsp_…`, `sv_…`). Lower-case Crockford base32: URL-safe, case-insensitive,
 * no look-alike characters, so an id survives being read aloud or pasted into a ticket.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

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
} as const;

/** Ids that only need to be unique: 80 bits. */
export function newId(kind: keyof typeof ID_PREFIXES): string {
  return `${ID_PREFIXES[kind]}_${randomBase32(80)}`;
}

/** Response ids address the thank-you page without any login, so they are capabilities: 130 bits. */
export function newResponseId(): string {
  return `${ID_PREFIXES.response}_${randomBase32(130)}`;
}

/**
 * The same kind of id made by SQLite inside a write, for rows a statement fans out (one delivery per
 * subscribed endpoint): 80 random bits as 20 hex digits, which are also Crockford base32 characters.
 */
export function sqlNewId(kind: keyof typeof ID_PREFIXES): string {
  return `('${ID_PREFIXES[kind]}_' || lower(hex(randomblob(10))))`;
}

/** True when `value` looks like an id of that kind (cheap check before touching the database). */
export function isId(kind: keyof typeof ID_PREFIXES, value: string): boolean {
  return new RegExp(`^${ID_PREFIXES[kind]}_[${ALPHABET}]{16,32}$`).test(value);
}
