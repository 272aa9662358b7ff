import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../../worker/lib/encoding';
import { parseKeyRing } from '../../worker/lib/key-ring';
import { signSignatureLinkId, verifySignatureLinkToken } from '../../worker/lib/signature-token';
import { isPlaceholder, parseContact, readHints } from '../../worker/services/signature-links';

const key = () => toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
const a = `a:${key()}`;
const b = `b:${key()}`;
const ID = 'sl_0123456789abcdefghjk';

describe('signature-link tokens', () => {
  it('round-trip, are short, and keep working after a key rotation while the old key stays in the ring', async () => {
    const token = await signSignatureLinkId(parseKeyRing('LINK_KEYS', a), ID);
    expect(token).toMatch(/^[0-9a-z]{20}\.[A-Za-z0-9_-]{22}$/);
    expect(await verifySignatureLinkToken(parseKeyRing('LINK_KEYS', a), token)).toBe(ID);
    expect(await verifySignatureLinkToken(parseKeyRing('LINK_KEYS', `${b},${a}`), token)).toBe(ID);
    expect(await verifySignatureLinkToken(parseKeyRing('LINK_KEYS', b), token)).toBeNull();
  });

  it.each([
    ['another id, same MAC', async (t: string) => `1${t.slice(1)}`],
    ['flipped MAC', async (t: string) => t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A')],
    // The last of 22 characters has two unused bits: flipping one is another spelling of the same MAC.
    ['non-canonical spelling of the MAC', async (t: string) => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      return t.slice(0, -1) + alphabet[alphabet.indexOf(t.at(-1)!) ^ 1];
    }],
    ['no MAC', async (t: string) => t.split('.')[0]!],
    ['empty', async () => ''],
    ['upper case id', async (t: string) => t.toUpperCase()],
    ['extra segment', async (t: string) => `${t}.x`],
  ])('refuses %s', async (_name, change) => {
    const ring = parseKeyRing('LINK_KEYS', a);
    const token = await signSignatureLinkId(ring, ID);
    expect(await verifySignatureLinkToken(ring, await change(token))).toBeNull();
  });
});

describe('helpdesk hints', () => {
  it.each([
    [{ ticket: '12345', email: 'Ann@Example.com' }, { ticket: '12345', email: 'ann@example.com' }],
    [{ ticket: '{{ticket.id}}', email: '{{ticket.requester.email}}' }, { ticket: null, email: null }],
    [{ ticket: '{%conversation.number%}', email: '{%customer.email%}' }, { ticket: null, email: null }],
    [{ ticket: '{{ ticket.hs_ticket_id }}', email: 'x' }, { ticket: null, email: null }],
    [{ ticket: '', email: 'cust 1@example.com' }, { ticket: null, email: 'cust+1@example.com' }], // "+" arrived as a space
    [{ ticket: 'a\u0000b', email: 'no-at-sign' }, { ticket: null, email: null }],
    [{ ticket: 'x'.repeat(201) }, { ticket: null, email: null }],
    [{}, { ticket: null, email: null }],
  ])('%j → %j', (query, expected) => {
    expect(readHints(query)).toEqual(expected);
  });

  it('recognises every placeholder syntax of the presets', () => {
    for (const p of ['{{ticket.id}}', '{{ contact.email }}', '{%customer.email%}', '{{issue.key}}']) expect(isPlaceholder(p)).toBe(true);
    expect(isPlaceholder('TCK-1')).toBe(false);
  });

  it.each([
    [' Ann@Example.com ', { email: 'ann@example.com', ticket: null }],
    ['#4521', { email: null, ticket: '#4521' }],
    ['not@valid', null],
    ['', null],
    ['x'.repeat(101), null],
  ])('contact %j → %j', (text, expected) => {
    expect(parseContact(text)).toEqual(expected);
  });
});
