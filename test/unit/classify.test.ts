import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../worker/config';
import { classifyClick, classifyInteraction, scannerNetwork } from '../../worker/lib/classify';
import { SCANNER_NETWORKS } from '../../worker/lib/scanners/networks';
import { clientAddress, ipPrefix, type RequestSignals } from '../../worker/lib/signals';
import { testKeys } from '../contract/keys';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';
const NAVIGATE = JSON.stringify({ site: 'none', mode: 'navigate', user: '?1', dest: 'document' });

function signals(over: Partial<RequestSignals> & { ip?: string } = {}): RequestSignals {
  const { ip, ...rest } = over;
  return {
    method: 'GET',
    userAgent: CHROME,
    acceptLanguage: 'en-GB,en;q=0.9',
    secFetch: NAVIGATE,
    ipPrefix: ipPrefix(ip ?? '203.0.113.9'),
    asn: null,
    asOrganization: null,
    country: null,
    ...rest,
  };
}

describe('classifyClick', () => {
  it.each<[string, Partial<RequestSignals> & { ip?: string }, string, RegExp]>([
    ['a current browser navigating, from a home network', {}, 'counted', /^human-navigation$/],
    ['current Safari on iPhone', { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1' }, 'counted', /^human-navigation$/],
    ['current Firefox', { userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0' }, 'counted', /^human-navigation$/],
    ['no Sec-Fetch-User (a navigation without user activation)', { secFetch: JSON.stringify({ mode: 'navigate', site: 'none' }) }, 'pending', /no-sec-fetch-user/],
    ['no Fetch Metadata at all', { secFetch: null }, 'pending', /no-sec-fetch-navigate,no-sec-fetch-user/],
    ['no Accept-Language', { acceptLanguage: null }, 'pending', /no-accept-language/],
    ['a browser a few years old', { userAgent: CHROME.replace('142', '104') }, 'pending', /old-or-unknown-browser/],
    ['Safe Links: Chrome/72 from 40.94.x.x', { userAgent: CHROME.replace('142', '72'), secFetch: null, ip: '40.94.29.17' }, 'bot', /^network:microsoft$/],
    ['a very old Chrome from anywhere', { userAgent: CHROME.replace('142', '79') }, 'bot', /^old-chrome:79$/],
    ['no User-Agent', { userAgent: null }, 'bot', /^no-user-agent$/],
    ['a blank User-Agent', { userAgent: '  ' }, 'bot', /^no-user-agent$/],
    ['a crawler (isbot)', { userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' }, 'bot', /^isbot:/],
    ['an HTTP library (isbot)', { userAgent: 'python-requests/2.32.3' }, 'bot', /^isbot:/],
    ['headless Chrome', { userAgent: CHROME.replace('Chrome/', 'HeadlessChrome/') }, 'bot', /^agent:headless/],
    ['Barracuda by name', { userAgent: 'Mozilla/5.0 (compatible; Barracuda Link Protection)' }, 'bot', /^agent:barracuda/],
    ['ASN 8075 on Workers', { asn: 8075, ip: '198.51.100.4' }, 'bot', /^network:microsoft$/],
    ['Proofpoint by AS organization', { asOrganization: 'Proofpoint, Inc.', ip: '198.51.100.4' }, 'bot', /^network:proofpoint$/],
    ['Exchange Online Protection IPv6', { ip: '2a01:111:f403:c200::5' }, 'bot', /^network:microsoft$/],
    ['a Mimecast address', { ip: '207.211.31.20' }, 'bot', /^network:mimecast$/],
  ])('%s → %s', (_name, over, status, reason) => {
    const result = classifyClick(signals(over));
    expect(result.status).toBe(status);
    expect(result.reason).toMatch(reason);
  });
});

describe('classifyInteraction', () => {
  it('a browser anywhere but a scanner network is a person; the rest are robots', () => {
    expect(classifyInteraction(signals({ secFetch: null, acceptLanguage: null }))).toBeNull();
    expect(classifyInteraction(signals({ ip: '52.160.33.10' }))).toMatchObject({ status: 'bot', reason: 'network:microsoft' });
    expect(classifyInteraction(signals({ userAgent: null }))).toMatchObject({ status: 'bot' });
  });
});

describe('scanner networks (data)', () => {
  it('every range parses and is no narrower than the stored prefix; every list cites a source', () => {
    for (const net of SCANNER_NETWORKS) {
      expect(net.source).toMatch(/https:\/\//);
      for (const range of net.ranges) expect(range).toMatch(/^([0-9.]+\/([0-9]|1[0-9]|2[0-4])|[0-9a-f:]+\/([0-9]|[1-3][0-9]|4[0-8]))$/);
    }
  });

  it.each([
    ['40.92.0.1', 'microsoft'],
    ['40.107.255.1', 'microsoft'],
    ['104.47.127.9', 'microsoft'],
    ['81.2.69.142', null],
    ['148.163.150.23', 'proofpoint'],
    ['66.249.84.12', 'google'],
    ['203.0.113.1', null],
    ['2001:db8::1', null],
    ['2a01:111:f400:1::1', 'microsoft'],
  ])('%s → %s', (ip, name) => {
    expect(scannerNetwork({ asn: null, asOrganization: null, ipPrefix: ipPrefix(ip) })).toBe(name);
  });
});

describe('client address behind proxies (TRUST_PROXY)', () => {
  const headers = new Headers({ 'x-forwarded-for': '6.6.6.6, 203.0.113.7, 10.0.0.2' });
  it.each([
    [0, '127.0.0.1'],
    [1, '10.0.0.2'],
    [2, '203.0.113.7'],
    [9, '6.6.6.6'],
  ])('%i trusted hops → %s', (hops, ip) => {
    expect(clientAddress(headers, '127.0.0.1', { hops, cloudflare: false })).toBe(ip);
  });
  it('CF-Connecting-IP wins only behind Cloudflare (TRUST_PROXY_CLOUDFLARE); elsewhere a client could send it', () => {
    const cf = new Headers({ 'cf-connecting-ip': '198.51.100.1', 'x-forwarded-for': '10.0.0.2' });
    expect(clientAddress(cf, '127.0.0.1', { hops: 1, cloudflare: true })).toBe('198.51.100.1');
    expect(clientAddress(cf, '127.0.0.1', { hops: 1, cloudflare: false })).toBe('10.0.0.2');
    expect(clientAddress(cf, '127.0.0.1', { hops: 0, cloudflare: false })).toBe('127.0.0.1');
    expect(clientAddress(new Headers({ 'x-forwarded-for': '10.0.0.2' }), '127.0.0.1', { hops: 1, cloudflare: true })).toBe('10.0.0.2');
  });
  it('config: TRUST_PROXY, NEGATIVE_SETTLE_SECONDS and VOTE_SETTLE_SECONDS are validated', () => {
    const base = { DATABASE_URL: 'file:x.db', ...testKeys() };
    expect(loadConfig(base)).toMatchObject({ trustProxy: 0, negativeSettleSeconds: 60, voteSettleSeconds: 6 });
    expect(loadConfig({ ...base, VOTE_SETTLE_SECONDS: '0' })).toMatchObject({ voteSettleSeconds: 0 });
    expect(() => loadConfig({ ...base, VOTE_SETTLE_SECONDS: 'soon' })).toThrow(/VOTE_SETTLE_SECONDS/);
    expect(loadConfig({ ...base, TRUST_PROXY: '1', NEGATIVE_SETTLE_SECONDS: '0' })).toMatchObject({ trustProxy: 1, negativeSettleSeconds: 0 });
    expect(() => loadConfig({ ...base, TRUST_PROXY: 'yes', NEGATIVE_SETTLE_SECONDS: '-5' })).toThrow(/TRUST_PROXY[\s\S]*NEGATIVE_SETTLE_SECONDS|NEGATIVE_SETTLE_SECONDS[\s\S]*TRUST_PROXY/);
  });
});
