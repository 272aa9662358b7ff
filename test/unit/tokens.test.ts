import { describe, expect, it } from 'vitest';
import { fromBase64Url, isCanonicalBase64Url, toBase64Url } from '../../worker/lib/encoding';
import { mintFormToken, verifyFormToken } from '../../worker/lib/form-token';
import { parseKeyRing } from '../../worker/lib/key-ring';
import { type LinkClaims, LinkTokenError, mintLinkToken, openLinkToken } from '../../worker/lib/link-token';

const NOW = new Date('2026-11-23T10:00:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const key = (fill: number) => toBase64Url(new Uint8Array(32).fill(fill));
const ring = parseKeyRing('LINK_KEYS', `k2:${key(2)},k1:${key(1)}`);
const oldRing = parseKeyRing('LINK_KEYS', `k1:${key(1)}`);

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Every other spelling of the same bytes: the last character with other values of its unused bits
 * (RFC 4648 §3.5), and the padded form. A decoder that ignores those bits would accept them all.
 */
function otherSpellings(part: string): string[] {
  const spare = part.length % 4 === 2 ? 0b1111 : part.length % 4 === 3 ? 0b11 : 0;
  const last = ALPHABET.indexOf(part.at(-1)!);
  const out: string[] = [];
  for (let bits = 1; bits <= spare; bits++) out.push(part.slice(0, -1) + ALPHABET[(last & ~spare) | bits]);
  if (part.length % 4) out.push(part + '='.repeat(4 - (part.length % 4)));
  return out;
}

/** Every non-canonical spelling of a token whose parts are joined by dots: one part changed at a time. */
function respellings(token: string): string[] {
  const parts = token.split('.');
  return parts.flatMap((part, i) => otherSpellings(part).map((spelled) => parts.map((p, j) => (j === i ? spelled : p)).join('.')));
}

describe('base64url spelling', () => {
  it.each([
    ['', true],
    ['AA', true],
    ['AB', false],
    ['AAA', true],
    ['AAB', false],
    ['AAAA', true],
    ['A', false],
    ['AA==', false],
    ['A+/A', false],
  ])('%j is canonical: %s', (text, expected) => {
    expect(isCanonicalBase64Url(text)).toBe(expected);
  });

  it('agrees with re-encoding for every byte length and last byte', () => {
    for (let length = 1; length <= 4; length++) {
      for (let byte = 0; byte < 256; byte++) {
        const text = toBase64Url(new Uint8Array(length).fill(byte));
        expect(isCanonicalBase64Url(text), text).toBe(true);
        for (const other of otherSpellings(text)) {
          expect(isCanonicalBase64Url(other), other).toBe(false);
          if (!other.endsWith('=')) expect(toBase64Url(fromBase64Url(other)), `${other} decodes to the same bytes`).toBe(text);
        }
      }
    }
  });
});

const claims: LinkClaims = {
  workspaceId: 'ws_aaaaaaaaaaaaaaaa',
  surveyId: 'sv_bbbbbbbbbbbbbbbb',
  scale: 'nps',
  subject: 'TICKET-12345',
  recipient: 'customer@example.com',
  agent: 'maria',
  linkId: 'cccccccccc',
  expiresAt: NOW_S + 90 * 86400,
  propertiesId: null,
};

async function code(promise: Promise<unknown>) {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return error instanceof LinkTokenError ? error.code : String(error);
  }
}

describe('link tokens', () => {
  describe('happy path', () => {
    it('round-trips the claims and hides them', async () => {
      const token = await mintLinkToken(ring, claims);
      expect(await openLinkToken(ring, token, NOW)).toEqual(claims);
      const decoded = token.split('.').map((part) => Buffer.from(part, 'base64url').toString('latin1')).join('');
      expect(decoded).not.toContain('TICKET');
      expect(decoded).not.toContain('example.com');
      expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'dir', enc: 'A256GCM', kid: 'k2' });
    });

    it('measures about 250 characters for a typical claim set', async () => {
      expect((await mintLinkToken(ring, claims)).length).toBeLessThanOrEqual(260);
    });

    it('carries the id of a properties set (format 2) in the place of the link id; links without one keep format 1', async () => {
      const withSet = { ...claims, propertiesId: 'prp_0123456789ab', linkId: '' };
      const token = await mintLinkToken(ring, withSet);
      expect(await openLinkToken(ring, token, NOW)).toEqual(withSet);
      expect(token.length).toBeLessThanOrEqual(260);
      // `https://feedback.example.com/r/<token>/10`: still under 300 characters.
      expect(`https://feedback.example.com/r/${token}/10`.length).toBeLessThan(300);
    });

    it('opens tokens of an older key still in the ring (rotation)', async () => {
      const token = await mintLinkToken(oldRing, claims);
      expect((await openLinkToken(ring, token, NOW)).subject).toBe('TICKET-12345');
    });

    it('keeps a missing agent as null', async () => {
      const token = await mintLinkToken(ring, { ...claims, agent: null });
      expect((await openLinkToken(ring, token, NOW)).agent).toBeNull();
    });
  });

  describe('rejects', () => {
    it.each([
      ['expired one second ago', async () => mintLinkToken(ring, { ...claims, expiresAt: NOW_S - 1 }), 'LINK_EXPIRED'],
      ['expiring right now', async () => mintLinkToken(ring, { ...claims, expiresAt: NOW_S }), 'LINK_EXPIRED'],
      ['from a retired key', async () => mintLinkToken(parseKeyRing('X', `k9:${key(9)}`), claims), 'LINK_UNKNOWN_KEY'],
      ['with a kid we know but the wrong secret', async () => mintLinkToken(parseKeyRing('X', `k1:${key(7)}`), claims), 'LINK_MALFORMED'],
      ['truncated', async () => (await mintLinkToken(ring, claims)).slice(0, -5), 'LINK_MALFORMED'],
      ['with a flipped ciphertext bit', async () => {
        const parts = (await mintLinkToken(ring, claims)).split('.');
        const bytes = Buffer.from(parts[3]!, 'base64url');
        bytes[0]! ^= 1;
        parts[3] = bytes.toString('base64url');
        return parts.join('.');
      }, 'LINK_MALFORMED'],
      ['empty', async () => '', 'LINK_MALFORMED'],
      ['a signed JWT instead', async () => 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', 'LINK_MALFORMED'],
    ])('a token %s → %s', async (_name, make, expected) => {
      expect(await code(openLinkToken(ring, await make(), NOW))).toBe(expected);
    });
  });

  describe('security', () => {
    it('opens only the spelling it minted: every other spelling of a valid token is LINK_MALFORMED', async () => {
      const token = await mintLinkToken(ring, claims);
      const others = respellings(token);
      // The IV (16 characters) spells 12 bytes exactly; the header, ciphertext and tag have spare bits.
      expect(others.length).toBeGreaterThanOrEqual(3);
      for (const other of others) expect(await code(openLinkToken(ring, other, NOW)), other).toBe('LINK_MALFORMED');
    });
  });
});

describe('form tokens', () => {
  const formRing = parseKeyRing('FORM_KEYS', `f1:${key(5)}`);
  it('verifies for the same response before expiry only', async () => {
    const token = await mintFormToken(formRing, 'rsp_1', NOW, 3600);
    expect(await verifyFormToken(formRing, token, 'rsp_1', NOW)).toBe(true);
    expect(await verifyFormToken(formRing, token, 'rsp_2', NOW)).toBe(false);
    expect(await verifyFormToken(formRing, token, 'rsp_1', new Date(NOW.getTime() + 3600_000))).toBe(false);
    expect(await verifyFormToken(parseKeyRing('FORM_KEYS', `f1:${key(6)}`), token, 'rsp_1', NOW)).toBe(false);
    expect(await verifyFormToken(formRing, token.replace(/\.(\d+)\./, (_m, exp) => `.${Number(exp) + 1}.`), 'rsp_1', NOW)).toBe(false);
    for (const junk of ['', '...', 'f1.x.y', 'f1.123', `f1.${NOW_S + 10}.@@@`]) expect(await verifyFormToken(formRing, junk, 'rsp_1', NOW)).toBe(false);
  });

  it('verifies only the spelling it minted: every other spelling of the MAC is refused', async () => {
    for (const purpose of ['comment-form', 'confirm'] as const) {
      const token = await mintFormToken(formRing, 'rsp_1', NOW, 3600, purpose);
      const [kid, expires, mac] = token.split('.') as [string, string, string];
      const others = otherSpellings(mac);
      expect(others).toHaveLength(4); // 43 characters: 2 spare bits (3 spellings) and the padded form
      for (const other of others) expect(await verifyFormToken(formRing, `${kid}.${expires}.${other}`, 'rsp_1', NOW, purpose), other).toBe(false);
      expect(await verifyFormToken(formRing, token, 'rsp_1', NOW, purpose)).toBe(true);
    }
  });
});

describe('key rings', () => {
  it.each([
    ['', /at least one key/],
    ['nokid', /kid:secret/],
    [`k1:${key(1)},k1:${key(2)}`, /appears twice/],
    ['k1:c2hvcnQ', /32 bytes/],
    ['k1:***', /base64url/],
  ])('%j is refused', (text, message) => {
    expect(() => parseKeyRing('LINK_KEYS', text)).toThrow(message);
  });
});
