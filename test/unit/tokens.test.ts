import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../../worker/lib/encoding';
import { mintFormToken, verifyFormToken } from '../../worker/lib/form-token';
import { parseKeyRing } from '../../worker/lib/key-ring';
import { type LinkClaims, LinkTokenError, mintLinkToken, openLinkToken } from '../../worker/lib/link-token';

const NOW = new Date('2026-11-23T10:00:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const key = (fill: number) => toBase64Url(new Uint8Array(32).fill(fill));
const ring = parseKeyRing('LINK_KEYS', `k2:${key(2)},k1:${key(1)}`);
const oldRing = parseKeyRing('LINK_KEYS', `k1:${key(1)}`);

const claims: LinkClaims = {
  workspaceId: 'ws_aaaaaaaaaaaaaaaa',
  surveyId: 'sv_bbbbbbbbbbbbbbbb',
  scale: 'nps',
  subject: 'TICKET-12345',
  recipient: 'customer@example.com',
  agent: 'maria',
  linkId: 'cccccccccc',
  expiresAt: NOW_S + 90 * 86400,
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
