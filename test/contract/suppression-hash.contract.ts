import { describe, expect, it } from 'vitest';
import { toBase64Url, utf8 } from '../../worker/lib/encoding';
import { parseKeyRing } from '../../worker/lib/key-ring';
import { voteSuppression } from '../../worker/services/privacy';

const key = (fill: number) => toBase64Url(new Uint8Array(32).fill(fill));

/** The hash as the first version computed it, with WebCrypto: HMAC(HMAC(secret, label), lower-cased address). */
async function webCryptoHash(secret: Uint8Array, email: string): Promise<string> {
  const hmac = (bytes: Uint8Array) => crypto.subtle.importKey('raw', bytes as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const derived = new Uint8Array(await crypto.subtle.sign('HMAC', await hmac(secret), utf8('clickback suppressed-recipient v1') as Uint8Array<ArrayBuffer>));
  return toBase64Url(new Uint8Array(await crypto.subtle.sign('HMAC', await hmac(derived), utf8(email.toLowerCase()) as Uint8Array<ArrayBuffer>)));
}

/**
 * The keyed hash of a suppressed address (`node:crypto` createHmac, on Node and in workerd under
 * `nodejs_compat`) must be the bytes WebCrypto gave: suppressions stored before still match.
 */
export function suppressionHashContract() {
  describe('voteSuppression (the per-click keyed hash)', () => {
    describe('happy path', () => {
      it('gives WebCrypto’s HMAC-SHA256 under the derived key, for the first two link keys, case-insensitively', async () => {
        const ring = parseKeyRing('LINK_KEYS', `k3:${key(3)},k2:${key(2)},k1:${key(1)}`);
        const [h1, h2] = voteSuppression(ring, 'Ann.Élise@Example.com')!;
        expect(h1).toBe(await webCryptoHash(ring.find('k3')!, 'ann.élise@example.com'));
        expect(h2).toBe(await webCryptoHash(ring.find('k2')!, 'ann.élise@example.com'));
        expect(voteSuppression(ring, 'hint:ann.élise@example.com')).toEqual([h1, h2]);
        expect(voteSuppression(parseKeyRing('LINK_KEYS', `k1:${key(1)}`), 'ann@example.com')).toEqual([await webCryptoHash(ring.find('k1')!, 'ann@example.com'), null]);
      });
    });

    describe('rejects', () => {
      it.each([['a customer id', 'cust_42'], ['an anonymous browser', 'browser:abc'], ['a hint that is no address', 'hint:T-42']])('%s: no hash (never suppressed)', (_, recipient) => {
        expect(voteSuppression(parseKeyRing('LINK_KEYS', `k1:${key(1)}`), recipient)).toBeNull();
      });
    });
  });
}
