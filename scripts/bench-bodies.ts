/**
 * Memory under oversized bodies: posts 200 MB bodies to the Node server (in a child process) and
 * prints its resident memory before and after. Without a body limit the server buffered them whole
 * and kept ~839 MB afterwards; with it, a body is refused after 64 KB, whether it declares its
 * length, is chunked, or is a form post.
 *
 *   npm run bench:bodies            (about 10 s)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchEnv, memoryOf, serveInChild, spawnService, stopService } from './bench-support';

const BODY_BYTES = 200 * 1024 * 1024;
const CHUNK = new Uint8Array(64 * 1024).fill(0x20);

/**
 * Sends `BODY_BYTES` in 64 KB chunks, as fast as the socket takes them, until the server answers;
 * resolves with the status and how much was sent by then.
 */
function postHuge(port: string, path: string, headers: Record<string, string>): Promise<{ status: number; sentMb: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers, agent: false }, (res) => {
      answered = true;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, sentMb: sent / 1024 / 1024 }));
    });
    // The server closes the connection after its 413: later writes fail, which is expected.
    req.on('error', (error) => (answered ? undefined : reject(error)));
    (function write() {
      while (!answered && sent < BODY_BYTES && !req.destroyed) {
        sent += CHUNK.length;
        if (!req.write(CHUNK)) return void req.once('drain', write);
      }
      if (!answered && !req.destroyed) req.end();
    })();
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'clickback-bodies-'));
  const { child, port } = await spawnService(fileURLToPath(import.meta.url), benchEnv(dir));
  try {
    const pid = child.pid!;
    const baseline = memoryOf(pid);
    console.log(`baseline        rss ${baseline.rss.toFixed(0)} MB`);
    const cases: [string, string, Record<string, string>][] = [
      ['API, Content-Length', '/api/v1/surveys', { 'content-type': 'application/json', 'content-length': String(BODY_BYTES) }],
      ['API, chunked', '/api/v1/surveys', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }],
      ['comment form, chunked', '/t/rsp_00000000000000000000000000000000000/comment', { 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' }],
    ];
    for (const [name, path, headers] of cases) {
      const { status, sentMb } = await postHuge(port, path, headers);
      await new Promise((done) => setTimeout(done, 500));
      const after = memoryOf(pid);
      console.log(`${name.padEnd(22)} → ${status} after ${sentMb.toFixed(1)} MB sent; rss ${after.rss.toFixed(0)} MB, peak ${after.peak.toFixed(0)} MB`);
    }
  } finally {
    await stopService(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

const args = parseArgs({ options: { serve: { type: 'boolean' } } }).values;
if (args.serve) await serveInChild();
else await main();
