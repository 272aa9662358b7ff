/**
 * User agents of link scanners, beyond the `isbot` package's list (which already covers crawlers,
 * previewers and HTTP libraries). Data, not logic: update here. Last reviewed: 2026-11.
 */

/** Scanner products whose user agents are not in `isbot` (matched case-insensitively). */
export const SCANNER_AGENT_PATTERNS: { pattern: RegExp; source: string }[] = [
  { pattern: /\b(proofpoint|pphosted|urldefense)\b/i, source: 'Proofpoint URL Defense' },
  { pattern: /\bmimecast\b/i, source: 'Mimecast URL Protect' },
  { pattern: /\bbarracuda\b/i, source: 'Barracuda Link Protection' },
  { pattern: /\b(safelinks|microsoft office|ms-office|microsoft outlook|skypeuripreview|bingpreview)\b/i, source: 'Microsoft Safe Links and Office link previews' },
  { pattern: /\b(google-safety|googleimageproxy|google-read-aloud|google web preview)\b/i, source: 'Google mail scanners and proxies' },
  { pattern: /\bheadless/i, source: 'headless browsers (HeadlessChrome, PhantomJS)' },
];

/**
 * Browser versions. Scanners announce very old Chrome builds (Safe Links has sent Chrome/72 for
 * years; others send 79–83). Below `OLD_CHROME_BELOW` a Chromium UA is a robot; from
 * `CURRENT` on it is a current browser (a strong human sign); in between it is merely not strong.
 * Chrome ships every 4 weeks: move `CURRENT.chrome` up about once a year.
 * Source: https://chromiumdash.appspot.com/schedule (Chrome 120 stable: Dec 2023).
 */
export const OLD_CHROME_BELOW = 90;
export const CURRENT = {
  chrome: 120, // Chromium-based: Chrome, Edge, Opera, Samsung Internet, Brave
  firefox: 115, // Firefox ESR 115 (still supported on old Windows and macOS)
  safari: 16, // Safari 16.4 added Fetch Metadata (Sec-Fetch-*)
};
