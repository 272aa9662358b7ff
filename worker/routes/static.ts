import { Hono } from 'hono';
import type { AppEnv } from '../app-env';

/**
 * What browsers and crawlers ask for on their own: no favicon (204 keeps consoles clean without
 * serving an asset), and a robots.txt that keeps every link and page out of search engines.
 */
export function staticRoutes() {
  return new Hono<AppEnv>()
    .get('/favicon.ico', function favicon(c) {
      return c.body(null, 204);
    })
    .get('/robots.txt', function robots(c) {
      return c.text('User-agent: *\nDisallow: /\n');
    });
}
