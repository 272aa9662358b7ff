import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { AppError } from '../lib/errors';
import { facePng, isFaceName } from '../lib/face-png';

/**
 * `GET /f/:name.png`: the faces of `image` snippets, loaded by mail clients and their image
 * proxies. The bytes never change for a name, so they are cacheable for a year (RFC 8246
 * `immutable`), and any origin may embed them.
 */
export function faceRoutes() {
  return new Hono<AppEnv>().get('/f/:file{[a-z-]+\\.png}', async function face(c) {
    const name = c.req.param('file').slice(0, -'.png'.length);
    if (!isFaceName(name)) throw new AppError('NOT_FOUND', 'No such image.');
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    return c.body((await facePng(name)) as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'image/png' });
  });
}
