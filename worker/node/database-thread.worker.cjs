// The thread side of `database-thread.ts`: owns the embedded libSQL connection and runs what the
// event loop sends it. Plain CommonJS so it loads the same under tsx, vitest and plain node.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { createClient } = require(workerData.clientModule);

const client = createClient({ url: workerData.url, concurrency: 1, timeout: workerData.busyTimeoutMs });

/** A result set as plain data: rows as arrays (the Row objects' own shape does not survive cloning). */
function plain(result) {
  return {
    columns: result.columns,
    columnTypes: result.columnTypes,
    rows: result.rows.map((row) => Array.prototype.slice.call(row)),
    rowsAffected: result.rowsAffected,
    lastInsertRowid: result.lastInsertRowid,
  };
}

function plainError(error) {
  return {
    name: error && error.name,
    message: String((error && error.message) || error),
    code: error && error.code,
    extendedCode: error && error.extendedCode,
    rawCode: error && error.rawCode,
    statementIndex: error && error.statementIndex,
  };
}

// Requests run one at a time, in arrival order: the engine is synchronous anyway, and the order
// is what callers would see on the event loop.
let queue = Promise.resolve();
parentPort.on('message', (request) => {
  queue = queue
    .then(async () => {
      let value;
      switch (request.op) {
        case 'execute':
          value = plain(await client.execute(request.stmt));
          break;
        case 'batch':
          value = (await client.batch(request.stmts, request.mode)).map(plain);
          break;
        case 'migrate':
          value = (await client.migrate(request.stmts)).map(plain);
          break;
        case 'executeMultiple':
          await client.executeMultiple(request.sql);
          break;
        case 'close':
          client.close();
          parentPort.postMessage({ id: request.id, ok: true });
          parentPort.close();
          return;
        default:
          throw new Error(`unknown operation ${request.op}`);
      }
      parentPort.postMessage({ id: request.id, ok: true, value });
    })
    .catch((error) => parentPort.postMessage({ id: request.id, ok: false, error: plainError(error) }));
});
