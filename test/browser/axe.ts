import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** The widths every app page is checked at: a desktop and the narrowest phone. */
export const WIDTHS = [1280, 360] as const;

/** What one check of one page found (empty `problems` = none). */
export interface Audited {
  path: string;
  width: number;
  problems: string[];
}

/** Serious and critical axe violations of the page as it is now, one line each (empty = none). */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Runs axe on the current page at each width, and checks nothing scrolls sideways; adds what it found to `audited`. */
export async function audit(page: Page, audited: Audited[]): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    const problems = await accessibilityProblems(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) problems.push(`scrolls sideways by ${overflow}px at ${width}px`);
    audited.push({ path: new URL(page.url()).pathname, width, problems });
  }
}
