import { describe, expect, it } from 'vitest';
import { addressKind, checkResolvedAddress, checkWebhookUrl, UnsafeUrlError } from '../../worker/lib/url-safety';
import { nodeUrlChecker } from '../../worker/node/check-url';

/**
 * Webhook URL safety (SSRF): what an endpoint URL may point at, as registered and before each
 * request. Literal addresses in every spelling the WHATWG URL parser accepts (decimal, hex,
 * octal, short IPv4; IPv4 inside IPv6) must be judged by the address they mean.
 */

const secure = { allowInsecure: false };
const insecure = { allowInsecure: true };

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UnsafeUrlError);
    return (error as Error).message;
  }
  throw new Error('expected the URL to be refused, and it was accepted');
}

describe('checkWebhookUrl', () => {
  describe('happy path', () => {
    it.each([
      ['an https URL with a path and query', 'https://crm.example.com/hooks/clickback?tenant=7', 'https://crm.example.com/hooks/clickback?tenant=7'],
      ['a port', 'https://crm.example.com:8443/hook', 'https://crm.example.com:8443/hook'],
      ['upper case (normalised)', 'HTTPS://CRM.Example.COM/Hook', 'https://crm.example.com/Hook'],
      ['a public IPv4 address', 'https://93.184.216.34/hook', 'https://93.184.216.34/hook'],
      ['172.32.0.1 (just above 172.16/12)', 'https://172.32.0.1/', 'https://172.32.0.1/'],
      ['172.15.255.255 (just below 172.16/12)', 'https://172.15.255.255/', 'https://172.15.255.255/'],
      ['100.128.0.1 (just above carrier-grade NAT)', 'https://100.128.0.1/', 'https://100.128.0.1/'],
      ['a public IPv6 address', 'https://[2606:4700:4700::1111]/hook', 'https://[2606:4700:4700::1111]/hook'],
      ['an IPv4-mapped public address', 'https://[::ffff:8.8.8.8]/', 'https://[::ffff:808:808]/'],
      ['an IPv4-translated public address', 'https://[::ffff:0:8.8.8.8]/', 'https://[::ffff:0:808:808]/'],
      ['6to4 of a public address', 'https://[2002:808:808::1]/', 'https://[2002:808:808::1]/'],
      ['the top of global unicast', 'https://[3fff:1000::1]/', 'https://[3fff:1000::1]/'],
      ['2001:200::/23 (just above IETF assignments)', 'https://[2001:200::1]/', 'https://[2001:200::1]/'],
      ['192.88.100.1 (just above the 6to4 relay)', 'https://192.88.100.1/', 'https://192.88.100.1/'],
      ['an internationalised name (punycode)', 'https://bücher.example/hook', 'https://xn--bcher-kva.example/hook'],
    ])('accepts %s', (_name, raw, normalised) => {
      expect(checkWebhookUrl(raw, secure)).toBe(normalised);
      expect(checkWebhookUrl(raw, insecure)).toBe(normalised);
    });

    it.each([
      ['127.0.0.1', 'http://127.0.0.1:8787/hook'],
      ['another 127/8 address', 'http://127.1.2.3/hook'],
      ['localhost', 'http://localhost:3000/hook'],
      ['a *.localhost name', 'http://crm.localhost/hook'],
      ['::1', 'http://[::1]:9000/hook'],
      ['an IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/hook'],
      ['loopback over https', 'https://127.0.0.1/hook'],
    ])('with allowInsecure, accepts plain http to loopback: %s', (_name, raw) => {
      expect(checkWebhookUrl(raw, insecure)).toBe(new URL(raw).href);
    });
  });

  describe('rejects', () => {
    it.each([
      ['not a URL', 'not a url', /not valid/],
      ['a relative path', '/hooks/x', /not valid/],
      ['an empty string', '', /not valid/],
      ['ftp', 'ftp://crm.example.com/hook', /must use https/],
      ['javascript:', 'javascript:alert(1)', /must use https/],
      ['file:', 'file:///etc/passwd', /must use https/],
      ['data:', 'data:text/plain,hi', /must use https/],
      ['ws:', 'ws://crm.example.com/socket', /must use https/],
      ['plain http to a public host', 'http://crm.example.com/hook', /must use https/],
      ['plain http to a public address', 'http://93.184.216.34/hook', /must use https/],
      ['a user and password', 'https://user:secret@crm.example.com/hook', /credentials/],
      ['a user name only', 'https://user@crm.example.com/hook', /credentials/],
      ['an empty user with a password', 'https://:secret@crm.example.com/hook', /credentials/],
      ['an IPv6 zone id', 'https://[fe80::1%25eth0]/hook', /not valid/],
    ])('%s', (_name, raw, message) => {
      expect(refusal(() => checkWebhookUrl(raw, secure))).toMatch(message);
    });

    it.each([
      // RFC 1918
      ['10/8', 'https://10.0.0.1/'],
      ['10/8, top', 'https://10.255.255.255/'],
      ['172.16/12, bottom', 'https://172.16.0.1/'],
      ['172.16/12, top', 'https://172.31.255.255/'],
      ['192.168/16', 'https://192.168.1.1/'],
      // special purpose
      ['169.254/16 (cloud metadata)', 'https://169.254.169.254/latest/meta-data/'],
      ['0.0.0.0', 'https://0.0.0.0/'],
      ['0/8', 'https://0.1.2.3/'],
      ['100.64/10 (carrier-grade NAT)', 'https://100.64.0.1/'],
      ['192.0.0/24', 'https://192.0.0.8/'],
      ['TEST-NET-1', 'https://192.0.2.1/'],
      ['benchmarking 198.18/15', 'https://198.19.0.1/'],
      ['TEST-NET-2', 'https://198.51.100.7/'],
      ['TEST-NET-3', 'https://203.0.113.9/'],
      ['multicast', 'https://224.0.0.1/'],
      ['broadcast', 'https://255.255.255.255/'],
      // IPv4 spelled another way: the URL parser turns these into dotted quads
      ['decimal 167772161 (10.0.0.1)', 'https://167772161/'],
      ['hex 0x0a000001 (10.0.0.1)', 'https://0x0a000001/'],
      ['dotted hex 0xa9.0xfe.0xa9.0xfe (169.254.169.254)', 'https://0xa9.0xfe.0xa9.0xfe/'],
      ['octal 012.0.0.1 (10.0.0.1)', 'https://012.0.0.1/'],
      ['short form 10.1 (10.0.0.1)', 'https://10.1/'],
      ['short form 192.168.257 (192.168.1.1)', 'https://192.168.257/'],
      ['a trailing dot 10.0.0.1.', 'https://10.0.0.1./'],
      // IPv6
      ['::', 'https://[::]/'],
      ['fc00::/7 (fc)', 'https://[fc00::1]/'],
      ['fc00::/7 (fd)', 'https://[fd12:3456:789a::1]/'],
      ['fe80::/10', 'https://[fe80::1]/'],
      ['fe80::/10, top', 'https://[febf:ffff::1]/'],
      ['multicast ff02::1', 'https://[ff02::1]/'],
      ['documentation 2001:db8::/32', 'https://[2001:db8::1]/'],
      ['discard-only 100::/64', 'https://[100::1]/'],
      ['IPv4-mapped 10.0.0.1', 'https://[::ffff:10.0.0.1]/'],
      ['IPv4-mapped metadata in hex', 'https://[::ffff:a9fe:a9fe]/'],
      ['IPv4-compatible 192.168.0.1', 'https://[::192.168.0.1]/'],
      ['NAT64 of 10.0.0.1', 'https://[64:ff9b::10.0.0.1]/'],
      // translation and deprecated prefixes: they reach IPv4 through someone's gateway, or are retired
      ['NAT64 64:ff9b::/96 of a public address', 'https://[64:ff9b::8.8.8.8]/'],
      ['NAT64 64:ff9b::/96 in hex', 'https://[64:ff9b::a00:1]/'],
      ['local-use NAT64 64:ff9b:1::/48', 'https://[64:ff9b:1::a00:1]/'],
      ['local-use NAT64, top of the /48', 'https://[64:ff9b:1:ffff:ffff:ffff:ffff:ffff]/'],
      ['6to4 2002::/16 of 10.0.0.1', 'https://[2002:a00:1::1]/'],
      ['6to4 of 127.0.0.1', 'https://[2002:7f00:1::]/'],
      ['6to4 of 169.254.169.254', 'https://[2002:a9fe:a9fe::1]/'],
      ['6to4 of 192.168.1.1', 'https://[2002:c0a8:101::1]/'],
      ['Teredo 2001::/32', 'https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/'],
      ['Teredo, shortest form', 'https://[2001::1]/'],
      ['benchmarking 2001:2::/48', 'https://[2001:2::1]/'],
      ['ORCHIDv2 2001:20::/28', 'https://[2001:20::1]/'],
      ['documentation 3fff::/20', 'https://[3fff::1]/'],
      ['site-local fec0::/10', 'https://[fec0::1]/'],
      ['site-local, top', 'https://[feff:ffff::1]/'],
      ['IPv4-mapped 10.0.0.1 in hex words', 'https://[::ffff:a00:1]/'],
      ['IPv4-mapped written out', 'https://[0:0:0:0:0:ffff:a00:1]/'],
      ['IPv4-translated ::ffff:0:10.0.0.1', 'https://[::ffff:0:10.0.0.1]/'],
      ['IPv4-compatible of a public address (deprecated)', 'https://[::8.8.8.8]/'],
      ['unassigned 4000::/3', 'https://[4000::1]/'],
      ['6to4 relay anycast 192.88.99.0/24', 'https://192.88.99.1/'],
      // names
      ['a single-label name', 'https://intranet/hook'],
      ['.internal', 'https://metadata.google.internal/computeMetadata/v1/'],
      ['.local (mDNS)', 'https://printer.local/'],
      ['.home.arpa', 'https://router.home.arpa/'],
      ['.lan', 'https://nas.lan/'],
      ['.localdomain', 'https://db.localdomain/'],
      ['a fully qualified internal name (trailing dot)', 'https://db.internal./hook'],
      ['a single label with a trailing dot', 'https://intranet./hook'],
    ])('a private or reserved address or host: %s (even with allowInsecure)', (_name, raw) => {
      expect(refusal(() => checkWebhookUrl(raw, secure))).toMatch(/private or reserved/);
      expect(refusal(() => checkWebhookUrl(raw, insecure))).toMatch(/private or reserved/);
      expect(refusal(() => checkWebhookUrl(raw.replace('https:', 'http:'), insecure))).toMatch(/private or reserved/);
    });

    it.each([
      ['127.0.0.1', 'https://127.0.0.1/'],
      ['127/8', 'https://127.255.255.254/'],
      ['decimal 2130706433', 'https://2130706433/'],
      ['hex 0x7f000001', 'https://0x7f000001/'],
      ['dotted hex 0x7f.0.0.1', 'https://0x7f.0.0.1/'],
      ['octal 0177.0.0.1', 'https://0177.0.0.1/'],
      ['short form 127.1', 'https://127.1/'],
      ['::1', 'https://[::1]/'],
      ['::1 written out', 'https://[0:0:0:0:0:0:0:1]/'],
      ['IPv4-mapped ::ffff:127.0.0.1', 'https://[::ffff:127.0.0.1]/'],
      ['localhost', 'https://localhost/'],
      ['LOCALHOST', 'https://LOCALHOST:8080/'],
      ['localhost. (fully qualified)', 'https://localhost./'],
      ['*.localhost', 'https://api.localhost/'],
    ])('loopback without allowInsecure: %s', (_name, raw) => {
      expect(refusal(() => checkWebhookUrl(raw, secure))).toMatch(/loopback/);
      expect(refusal(() => checkWebhookUrl(raw.replace('https:', 'http:'), secure))).toMatch(/loopback/);
    });
  });
});

describe('checkResolvedAddress', () => {
  describe('happy path', () => {
    it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8'])('accepts the public address %s', (address) => {
      expect(() => checkResolvedAddress('crm.example.com', address, secure)).not.toThrow();
    });

    it.each(['127.0.0.1', '127.0.1.1', '::1', '::ffff:127.0.0.1'])('accepts loopback %s with allowInsecure', (address) => {
      expect(() => checkResolvedAddress('localhost', address, insecure)).not.toThrow();
    });
  });

  describe('rejects', () => {
    it.each([
      ['127.0.0.1', /loopback/],
      ['127.0.1.1', /loopback/],
      ['::1', /loopback/],
      ['::ffff:127.0.0.1', /loopback/],
      ['10.0.0.1', /private or reserved/],
      ['172.16.5.4', /private or reserved/],
      ['172.31.0.1', /private or reserved/],
      ['192.168.0.10', /private or reserved/],
      ['169.254.169.254', /private or reserved/],
      ['0.0.0.0', /private or reserved/],
      ['100.100.100.200', /private or reserved/],
      ['fc00::1', /private or reserved/],
      ['fdaa:bbbb::1', /private or reserved/],
      ['fe80::1', /private or reserved/],
      ['fe80::1%eth0', /private or reserved/],
      ['::ffff:192.168.1.1', /private or reserved/],
      ['::ffff:a9fe:a9fe', /private or reserved/],
      ['64:ff9b::8.8.8.8', /private or reserved/],
      ['64:ff9b:1::a00:1', /private or reserved/],
      ['2002:a00:1::1', /private or reserved/],
      ['2002:c0a8:101::', /private or reserved/],
      ['2001:0:4136:e378:8000:63bf:3fff:fdd2', /private or reserved/],
      ['fec0::1', /private or reserved/],
      ['::ffff:0:a00:1', /private or reserved/],
      ['192.88.99.1', /private or reserved/],
      ['::', /private or reserved/],
      ['not-an-address', /private or reserved/],
      ['1.2.3', /private or reserved/],
      ['1.2.3.256', /private or reserved/],
      ['1:2:3', /private or reserved/],
      ['1::2::3', /private or reserved/],
    ])('%s', (address, message) => {
      const text = refusal(() => checkResolvedAddress('crm.example.com', address, secure));
      expect(text).toMatch(message);
      expect(text).toContain('crm.example.com');
      expect(text).toContain(address);
    });

    it.each(['10.0.0.1', '192.168.1.1', 'fd00::1', '169.254.169.254'])('refuses the private address %s even with allowInsecure', (address) => {
      expect(refusal(() => checkResolvedAddress('crm.example.com', address, insecure))).toMatch(/private or reserved/);
    });
  });

  it.each([
    ['8.8.8.8', 'public'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['::ffff:10.1.2.3', 'private'],
    ['2001:4860:4860::8888', 'public'],
  ] as const)('addressKind(%s) is %s', (address, kind) => {
    expect(addressKind(address)).toBe(kind);
  });
});

describe('nodeUrlChecker (Node: every address a host name resolves to)', () => {
  describe('happy path', () => {
    it('accepts a name that resolves only to public addresses', async () => {
      const check = nodeUrlChecker({ ...secure, lookup: async () => [{ address: '93.184.216.34' }, { address: '2606:2800:220:1::248' }] });
      await expect(check('https://crm.example.com/hook')).resolves.toBeUndefined();
    });

    it('with allowInsecure, accepts localhost as the system resolver resolves it', async () => {
      await expect(nodeUrlChecker(insecure)('http://localhost:9/hook')).resolves.toBeUndefined();
    });

    it('does not resolve an address literal (the portable check already judged it)', async () => {
      const check = nodeUrlChecker({ ...secure, lookup: async () => expect.unreachable('no DNS for a literal') });
      await expect(check('https://93.184.216.34/hook')).resolves.toBeUndefined();
    });
  });

  describe('rejects', () => {
    it('localhost (resolving to 127.0.0.1) without allowInsecure, through the system resolver', async () => {
      const check = nodeUrlChecker(secure);
      await expect(check('https://localhost/hook')).rejects.toThrow(UnsafeUrlError);
      await expect(check('https://localhost./hook')).rejects.toThrow(/loopback/);
    });

    it.each([
      ['127.0.0.1', /resolves to a loopback address \(127\.0\.0\.1\)/],
      ['::1', /resolves to a loopback address/],
      ['10.0.0.7', /resolves to a private or reserved address/],
      ['169.254.169.254', /resolves to a private or reserved address/],
      ['fd00::1', /resolves to a private or reserved address/],
    ])('a public-looking name that resolves to %s', async (address, message) => {
      const check = nodeUrlChecker({ ...secure, lookup: async () => [{ address }] });
      await expect(check('https://crm.example.com/hook')).rejects.toThrow(message);
    });

    it('a name with one private address among public ones (any address could be the one fetch uses)', async () => {
      const check = nodeUrlChecker({ ...secure, lookup: async () => [{ address: '93.184.216.34' }, { address: '192.168.0.2' }] });
      await expect(check('https://crm.example.com/hook')).rejects.toThrow(/192\.168\.0\.2/);
    });

    it('a name pointing at a private address even with allowInsecure', async () => {
      const check = nodeUrlChecker({ ...insecure, lookup: async () => [{ address: '10.0.0.1' }] });
      await expect(check('https://crm.example.com/hook')).rejects.toThrow(/private or reserved/);
    });

    it('a name that does not resolve', async () => {
      const check = nodeUrlChecker({ ...secure, lookup: async () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })) });
      await expect(check('https://nowhere.example.com/hook')).rejects.toThrow(/does not resolve \(ENOTFOUND\)/);
    });

    it('a URL the portable check refuses, before any DNS lookup', async () => {
      const check = nodeUrlChecker({ ...secure, lookup: async () => expect.unreachable('no DNS for a refused URL') });
      await expect(check('http://crm.example.com/hook')).rejects.toThrow(/https/);
      await expect(check('https://10.0.0.1/hook')).rejects.toThrow(/private or reserved/);
    });
  });
});
