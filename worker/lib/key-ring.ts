import { fromBase64Url } from './encoding';

/**
 * A list of secret keys identified by `kid`. The first key issues; every key opens, so keys can
 * rotate: add the new key in front, keep the old one until what it issued has expired.
 *
 * Text form (the `LINK_KEYS` / `FORM_KEYS` settings): `kid:base64url-32-bytes[,kid:…]`.
 */
export interface KeyRing {
  /** The key that issues new tokens. */
  current: { kid: string; secret: Uint8Array };
  /** Looks a key up by id; undefined for an unknown or retired key. */
  find(kid: string): Uint8Array | undefined;
  kids: string[];
}

const KID_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;

/** Parses the text form; throws an Error naming the problem (never the secret). */
export function parseKeyRing(name: string, text: string): KeyRing {
  const entries = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const colon = part.indexOf(':');
      const kid = colon > 0 ? part.slice(0, colon) : '';
      if (!KID_PATTERN.test(kid)) throw new Error(`${name}: each entry must be "kid:secret" with a kid of 1-16 letters, digits, - or _`);
      let secret: Uint8Array;
      try {
        secret = fromBase64Url(part.slice(colon + 1));
      } catch {
        throw new Error(`${name}: the secret of key "${kid}" is not base64url`);
      }
      if (secret.length !== 32) throw new Error(`${name}: the secret of key "${kid}" must be 32 bytes (43 base64url characters)`);
      return { kid, secret };
    });
  const [current] = entries;
  if (!current) throw new Error(`${name}: at least one key is required`);
  const byKid = new Map<string, Uint8Array>();
  for (const entry of entries) {
    if (byKid.has(entry.kid)) throw new Error(`${name}: key id "${entry.kid}" appears twice`);
    byKid.set(entry.kid, entry.secret);
  }
  return { current, find: (kid) => byKid.get(kid), kids: [...byKid.keys()] };
}
