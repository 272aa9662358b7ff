import { toBase64Url } from '../../worker/lib/encoding';

/** Fresh link and form keys for one test file (never the development keys under data/). */
export function testKeys() {
  const entry = (kid: string) => `${kid}:${toBase64Url(crypto.getRandomValues(new Uint8Array(32)))}`;
  return { LINK_KEYS: entry('tl1'), FORM_KEYS: entry('tf1') };
}
