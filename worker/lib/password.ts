import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { fromBase64Url, toBase64Url } from './encoding';

/**
 * scrypt parameters (RFC 7914). N = 2^14, r = 8, p = 1 is the interactive-login setting of
 * Percival's paper: 16 MiB of memory and about 50 ms of CPU a hash on a server core. That is
 * within a Workers Paid (Standard) request's CPU limit (30 s by default) but not the Free plan's
 * 10 ms: the team app on Workers needs the Paid plan. The parameters are stored with each hash,
 * so raising them later re-hashes nothing already stored.
 */
export const SCRYPT_PARAMS = { N: 2 ** 14, r: 8, p: 1 } as const;

/** The shortest password accepted (NIST SP 800-63B §5.1.1.2 asks for at least 8; we ask 10). */
export const PASSWORD_MIN_LENGTH = 10;
/** The longest: scrypt hashes any length, but a megabyte "password" is a way to burn CPU. */
export const PASSWORD_MAX_LENGTH = 200;

const KEY_LENGTH = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Uint8Array, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem: scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is enough for 2^14 but
    // not for larger stored parameters.
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...params, maxmem: 256 * params.N * params.r }, function done(error, key) {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

/** A salted scrypt hash of `password`: `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = new Uint8Array(randomBytes(SALT_BYTES));
  const key = await derive(password, salt, SCRYPT_PARAMS);
  return `scrypt$${SCRYPT_PARAMS.N}$${SCRYPT_PARAMS.r}$${SCRYPT_PARAMS.p}$${toBase64Url(salt)}$${toBase64Url(key)}`;
}

/** True when `password` matches `stored` (compared in constant time); false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (![params.N, params.r, params.p].every((v) => Number.isInteger(v) && v > 0)) return false;
  const expected = fromBase64Url(hash);
  const actual = await derive(password, fromBase64Url(salt), params);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A hash of nothing anyone knows: verified against when the email is unknown, so an unknown email
 * takes as long as a wrong password and the timing does not tell which accounts exist.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(toBase64Url(new Uint8Array(randomBytes(18))));
  return decoy;
}
