import { existsSync } from 'node:fs';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Debian's Chromium driven by playwright-core (`npx playwright install` cannot download browsers
 * here). Flags: no sandbox (root in CI), no GPU, and no background networking, which this
 * machine's closed network would refuse.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with "apt-get install -y chromium" (npm test does this as root)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/**
 * A page in a fresh context that records everything a strict page must never do: requests to
 * another origin, console errors and warnings (CSP violations among them), page errors. Its user
 * agent is a person's Chromium, not "HeadlessChrome" (which the service rightly takes for a robot).
 */
export async function watchedPage(browser: Browser, origin: string, options: BrowserContextOptions = {}) {
  const userAgent = `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${browser.version()} Safari/537.36`;
  const context = await browser.newContext({ locale: 'en-GB', userAgent, ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (!request.url().startsWith(origin)) problems.push(`request to another origin: ${request.url()}`);
  });
  return { page, problems, close: () => context.close() };
}
