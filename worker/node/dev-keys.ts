import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { toBase64Url } from '../lib/encoding';
import type { RawEnv } from '../config';

/** A fresh key-ring entry `kid:secret` (32 random bytes). */
export function generateKeyEntry(kid: string): string {
  return `${kid}:${toBase64Url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/**
 * Zero-configuration development keys: when LINK_KEYS or FORM_KEYS is not set, use (and on first
 * start create) `data/dev-keys.json`, with a notice. Never used on Workers, where keys are secrets.
 * @returns env with the missing keys filled in.
 */
export function withDevKeys(env: RawEnv, file: string, log: (line: string) => void): RawEnv {
  if (env.LINK_KEYS?.trim() && env.FORM_KEYS?.trim()) return env;
  let keys: { LINK_KEYS: string; FORM_KEYS: string };
  if (existsSync(file)) {
    // Secrets: readable by the service's user only, also when an older version created the file.
    chmodSync(file, 0o600);
    keys = JSON.parse(readFileSync(file, 'utf8')) as typeof keys;
  } else {
    keys = { LINK_KEYS: generateKeyEntry('dev1'), FORM_KEYS: generateKeyEntry('devf1') };
    if (!existsSync(dirname(file))) mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
    log(`notice: created development signing keys in ${file} (set LINK_KEYS and FORM_KEYS in production)`);
  }
  return { ...env, LINK_KEYS: env.LINK_KEYS?.trim() || keys.LINK_KEYS, FORM_KEYS: env.FORM_KEYS?.trim() || keys.FORM_KEYS };
}
