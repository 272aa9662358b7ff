import { describe, expect, it } from 'vitest';
import { isValidScore, scaleAnswers, sentimentOf, type Scale } from '../../schema/scales';
import { ConfigError, loadConfig } from '../../worker/config';
import { toBase64Url } from '../../worker/lib/encoding';
import { pickLocale } from '../../worker/lib/i18n';
import { ipPrefix } from '../../worker/lib/signals';
import { normalizeComment } from '../../worker/services/comments';
import { testKeys } from '../contract/keys';

describe('scales', () => {
  const bands: [Scale, number[], number[], number[]][] = [
    ['nps', [0, 1, 2, 3, 4, 5, 6], [7, 8], [9, 10]],
    ['csat5', [1, 2], [3], [4, 5]],
    ['csat3', [1], [2], [3]],
    ['ces7', [1, 2, 3], [4], [5, 6, 7]],
    ['thumbs', [0], [], [1]],
  ];
  it.each(bands)('%s maps every answer to its sentiment', (scale, negative, neutral, positive) => {
    expect(scaleAnswers(scale)).toEqual([...negative, ...neutral, ...positive]);
    for (const s of negative) expect(sentimentOf(scale, s)).toBe('negative');
    for (const s of neutral) expect(sentimentOf(scale, s)).toBe('neutral');
    for (const s of positive) expect(sentimentOf(scale, s)).toBe('positive');
  });
  it('refuses scores outside the scale', () => {
    expect(isValidScore('nps', 11)).toBe(false);
    expect(isValidScore('nps', -1)).toBe(false);
    expect(isValidScore('csat3', 0)).toBe(false);
    expect(isValidScore('ces7', 3.5)).toBe(false);
    expect(isValidScore('thumbs', 1)).toBe(true);
  });
});

describe('pickLocale', () => {
  it.each([
    [undefined, null, 'en'],
    ['it-IT,it;q=0.9,en;q=0.8', null, 'it'],
    ['pt-BR, it;q=0.5, en;q=0.9', null, 'en'],
    ['pt-BR, it;q=0.5', null, 'it'],
    ['fr-FR, it;q=0.5', null, 'fr'],
    ['de-CH,de;q=0.9', null, 'de'],
    ['es-419, en;q=0.5', null, 'es'],
    ['it;q=0', null, 'en'],
    ['en', 'it', 'it'],
    ['garbage;;;', null, 'en'],
  ])('%s with survey locale %s → %s', (header, surveyLocale, expected) => {
    expect(pickLocale(header, surveyLocale)).toBe(expected);
  });
});

describe('normalizeComment', () => {
  it('trims, keeps newlines, drops control characters and counts code points', () => {
    expect(normalizeComment('  a\r\nb\u0000c\u200b  ')).toEqual({ text: 'a\nbc' });
    expect(normalizeComment(' \n\t ').problem).toBe('commentEmpty');
    expect(normalizeComment('😀'.repeat(2000)).problem).toBeUndefined();
    expect(normalizeComment('😀'.repeat(2001)).problem).toBe('commentTooLong');
  });
});

describe('ipPrefix', () => {
  it.each([
    ['40.94.12.34', '40.94.12.0/24'],
    ['::ffff:10.1.2.3', '10.1.2.0/24'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3::/48'],
    ['2001:db8::1', '2001:db8:0::/48'],
    [null, null],
    ['nonsense', null],
  ])('%s → %s', (ip, expected) => {
    expect(ipPrefix(ip)).toBe(expected);
  });
});

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig({ ...testKeys() }, { databaseUrl: 'file:./x.db' });
    expect(config).toMatchObject({ port: 8787, databaseUrl: 'file:./x.db', publicUrl: 'http://localhost:8787', linkTtlDays: 90 });
  });
  it('lists every problem at once, without echoing secrets', () => {
    try {
      loadConfig({ PORT: 'abc', PUBLIC_URL: 'ftp://x', LINK_KEYS: 'k1:c2VjcmV0', DATABASE_URL: 'mysql://x' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const { problems } = error as ConfigError;
      expect(problems.join('\n')).toMatch(/PORT/);
      expect(problems.join('\n')).toMatch(/PUBLIC_URL/);
      expect(problems.join('\n')).toMatch(/DATABASE_URL/);
      expect(problems.join('\n')).toMatch(/FORM_KEYS is required/);
      expect(problems.join('\n')).not.toContain('c2VjcmV0');
    }
  });
  it('refuses the same secret for links and forms', () => {
    const { LINK_KEYS } = testKeys();
    expect(() => loadConfig({ LINK_KEYS, FORM_KEYS: LINK_KEYS, DATABASE_URL: 'file:x.db' })).toThrow(/must not share/);
  });

  const secret = (fill: number) => toBase64Url(new Uint8Array(32).fill(fill));
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadConfig({ DATABASE_URL: 'file:x.db', ...env });
      return [];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return error.problems;
    }
  };

  describe('rejects', () => {
    it.each([
      ['the same secret under the same id', `a:${secret(1)}`, `a:${secret(1)}`, ['LINK_KEYS "a" is FORM_KEYS "a"']],
      ['the same secret under different ids', `link1:${secret(1)}`, `form1:${secret(1)}`, ['LINK_KEYS "link1" is FORM_KEYS "form1"']],
      ['an old link key reused as the current form key', `l2:${secret(2)},l1:${secret(1)}`, `f1:${secret(1)},f0:${secret(9)}`, ['LINK_KEYS "l1" is FORM_KEYS "f1"']],
      ['two shared secrets, both listed', `l2:${secret(2)},l1:${secret(1)}`, `f2:${secret(2)},f1:${secret(1)}`, ['LINK_KEYS "l2" is FORM_KEYS "f2"', 'LINK_KEYS "l1" is FORM_KEYS "f1"']],
    ])('LINK_KEYS and FORM_KEYS sharing %s', (_name, LINK_KEYS, FORM_KEYS, expected) => {
      const problems = problemsOf({ LINK_KEYS, FORM_KEYS, PORT: 'x' });
      for (const pair of expected) expect(problems.join('\n')).toContain(pair);
      // Every problem at once, and never the secret itself.
      expect(problems.filter((p) => p.includes('must not share'))).toHaveLength(expected.length);
      expect(problems.join('\n')).toMatch(/PORT/);
      expect(problems.join('\n')).not.toContain(secret(1));
    });

    it.each([
      [{ TRUST_PROXY_CLOUDFLARE: '1' }, /TRUST_PROXY_CLOUDFLARE=1 needs TRUST_PROXY/],
      [{ TRUST_PROXY: '0', TRUST_PROXY_CLOUDFLARE: 'true' }, /TRUST_PROXY_CLOUDFLARE=1 needs TRUST_PROXY/],
      [{ TRUST_PROXY: '1', TRUST_PROXY_CLOUDFLARE: 'yes' }, /TRUST_PROXY_CLOUDFLARE must be 1 or 0/],
    ])('%j is refused', (env, message) => {
      expect(problemsOf({ ...testKeys(), ...env }).join('\n')).toMatch(message);
    });
  });

  describe('happy path', () => {
    it.each([
      [{}, { trustProxy: 0, trustProxyCloudflare: false }],
      [{ TRUST_PROXY: '1' }, { trustProxy: 1, trustProxyCloudflare: false }],
      [{ TRUST_PROXY: '2', TRUST_PROXY_CLOUDFLARE: '1' }, { trustProxy: 2, trustProxyCloudflare: true }],
    ])('%j → %j', (env, expected) => {
      expect(loadConfig({ DATABASE_URL: 'file:x.db', ...testKeys(), ...env })).toMatchObject(expected);
    });

    it('accepts distinct secrets under the same key id in both rings', () => {
      expect(problemsOf({ LINK_KEYS: `k1:${secret(1)}`, FORM_KEYS: `k1:${secret(2)}` })).toEqual([]);
    });
  });
});
