import { fromCanonicalBase64Url, toBase64Url, utf8 } from './encoding';
import type { KeyRing } from './key-ring';

/**
 * Cookie-less CSRF protection for the forms of the thank-you page: an HMAC-SHA256 (RFC 2104) over
 * the form's purpose, what it is bound to (the response id; for the confirmation, the response id
 * and the click shown) and an expiry, made with the form keys (never the link keys). Format:
 * `kid.expiresAt.mac`. Verification uses `crypto.subtle.verify`, which compares in constant time.
 * A token of one purpose never verifies for another.
 */
export type FormPurpose = 'comment-form' | 'confirm' | 'delete';

const importedKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();
function hmacKey(secret: Uint8Array): Promise<CryptoKey> {
  let key = importedKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', secret as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    importedKeys.set(secret, key);
  }
  return key;
}

function message(purpose: FormPurpose, boundTo: string, expiresAt: number): Uint8Array<ArrayBuffer> {
  return utf8(`clickback/${purpose}/v1\n${boundTo}\n${expiresAt}`) as Uint8Array<ArrayBuffer>;
}

/** A token for the form of `responseId` (or what else `boundTo` names), valid for `ttlSeconds`. */
export async function mintFormToken(keys: KeyRing, responseId: string, now: Date, ttlSeconds: number, purpose: FormPurpose = 'comment-form'): Promise<string> {
  const expiresAt = Math.floor(now.getTime() / 1000) + ttlSeconds;
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(keys.current.secret), message(purpose, responseId, expiresAt));
  return `${keys.current.kid}.${expiresAt}.${toBase64Url(new Uint8Array(mac))}`;
}

/** True only for an unexpired token made by one of our form keys for this very response and purpose. */
export async function verifyFormToken(keys: KeyRing, token: string, responseId: string, now: Date, purpose: FormPurpose = 'comment-form'): Promise<boolean> {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const [kid = '', expiresText = '', macText = ''] = parts;
  const secret = keys.find(kid);
  const expiresAt = Number(expiresText);
  if (!secret || !/^\d{1,12}$/.test(expiresText) || expiresAt * 1000 <= now.getTime()) return false;
  let mac: Uint8Array;
  try {
    // Only the canonical spelling: 43 characters carry 258 bits for a 256-bit MAC.
    mac = fromCanonicalBase64Url(macText);
  } catch {
    return false;
  }
  return crypto.subtle.verify('HMAC', await hmacKey(secret), mac as Uint8Array<ArrayBuffer>, message(purpose, responseId, expiresAt));
}
