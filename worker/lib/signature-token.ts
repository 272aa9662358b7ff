import { fromBase64Url, isCanonicalBase64Url, toBase64Url, utf8 } from './encoding';
import { ID_PREFIXES } from './ids';
import type { KeyRing } from './key-ring';

/**
 * Signature-link tokens: `<row id without prefix>.<MAC>`, about 40 characters.
 *
 * A signature link is pasted once and sent for years, so it must be short and must not expire;
 * what it refers to lives in a `signature_links` row, which can be disabled. The id alone is
 * already unguessable (80 bits); the MAC (HMAC-SHA-256, RFC 2104, truncated to 128 bits as
 * RFC 2104 §5 allows) lets a forged or mistyped link be refused without touching the database.
 *
 * The MAC key is derived from each LINK_KEYS secret (HMAC of a fixed label), never the AES key
 * itself, and every key of the ring is tried, so rotating LINK_KEYS keeps old signatures working
 * for as long as the old key stays in the ring.
 */
const LABEL = utf8('clickback signature-link v1');
const SL = `${ID_PREFIXES.signatureLink}_`;
const TOKEN_PATTERN = /^([0-9a-hjkmnp-tv-z]{16,32})\.([A-Za-z0-9_-]{22})$/;

const derived = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function macKey(secret: Uint8Array): Promise<CryptoKey> {
  let key = derived.get(secret);
  if (!key) {
    key = (async () => {
      const master = await crypto.subtle.importKey('raw', secret as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      const sub = new Uint8Array(await crypto.subtle.sign('HMAC', master, LABEL as Uint8Array<ArrayBuffer>));
      return crypto.subtle.importKey('raw', sub, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    })();
    derived.set(secret, key);
  }
  return key;
}

async function mac(secret: Uint8Array, id: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', await macKey(secret), utf8(id) as Uint8Array<ArrayBuffer>)).slice(0, 16);
}

/** The token of a signature-link row id (`sl_…`), signed with the ring's current key. */
export async function signSignatureLinkId(keys: KeyRing, id: string): Promise<string> {
  if (!id.startsWith(SL)) throw new TypeError(`expected an id starting with ${SL}`);
  return `${id.slice(SL.length)}.${toBase64Url(await mac(keys.current.secret, id))}`;
}

/** The row id of a token when some key of the ring signed it, otherwise null. */
export async function verifySignatureLinkToken(keys: KeyRing, token: string): Promise<string | null> {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return null;
  // 22 characters carry 132 bits for a 128-bit MAC: only the canonical spelling is the token (else
  // sixteen spellings of the last character would all verify). This looks at the input alone.
  if (!isCanonicalBase64Url(match[2]!)) return null;
  const id = SL + match[1]!;
  const given = fromBase64Url(match[2]!);
  for (const kid of keys.kids) {
    // The MAC is truncated, so it is recomputed and compared in constant time rather than verified.
    const expected = await mac(keys.find(kid)!, id);
    let diff = expected.length ^ given.length;
    for (let i = 0; i < expected.length; i++) diff |= expected[i]! ^ (given[i] ?? 0);
    if (diff === 0) return id;
  }
  return null;
}
