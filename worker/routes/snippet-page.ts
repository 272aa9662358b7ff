import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../app-env';
import { SNIPPET_PAGE, snippetPagePolicy } from '../pages/snippet-page';

/** `GET /snippets`: the snippet builder (the API key is typed into the page, see pages/snippet-page.ts). */
export function snippetPageRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get('/snippets', async function snippetPage(c) {
    c.header('Content-Security-Policy', await snippetPagePolicy(deps.config.publicUrl));
    return c.html(SNIPPET_PAGE);
  });
}
