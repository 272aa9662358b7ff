/** Standard base64 with padding (RFC 4648 §4), as Standard Webhooks secrets use it. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** base64url without padding (RFC 4648 §5), for keys, MACs and cursors. */
export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes base64url (padding optional); throws on anything else. */
export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * True when `text` is base64url in its one canonical spelling (RFC 4648 §3.5): no padding, and the
 * bits of the last character that carry no data are zero. Decoders ignore those bits, so without
 * this check four (or sixteen) spellings decode to the same bytes: a token must be one string, or
 * caches, logs and de-duplication see several. Looks at the text alone (no decoding), so it is
 * cheap enough for the click path.
 */
export function isCanonicalBase64Url(text: string): boolean {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return false;
  const rest = text.length % 4;
  if (rest === 0) return true;
  if (rest === 1) return false; // 6 bits cannot end a byte
  const last = BASE64URL_ALPHABET.indexOf(text[text.length - 1]!);
  // 2 characters carry 1 byte (4 spare bits), 3 characters 2 bytes (2 spare bits).
  return (last & (rest === 2 ? 0b1111 : 0b11)) === 0;
}

/** Decodes base64url in its canonical spelling only (`isCanonicalBase64Url`); throws on anything else. */
export function fromCanonicalBase64Url(text: string): Uint8Array {
  if (!isCanonicalBase64Url(text)) throw new Error('not canonical base64url');
  return fromBase64Url(text);
}

const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Hex SHA-256 of a string. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(text) as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Compares two strings in time that depends only on their length, so an attacker cannot learn
 * a secret one character at a time from response timings.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = utf8(a);
  const right = utf8(b);
  let diff = left.length ^ right.length;
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) diff |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return diff === 0;
}
