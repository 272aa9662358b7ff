import { answerLabel } from '../lib/i18n';
import { CSV_BOM, csvRow } from '../lib/csv';
import type { Db } from '../db';
import { listResponses } from '../db/responses';
import { iso } from './representations';
import { type ResponseQuery, responseFilters } from './responses';

/**
 * The CSV export of responses (issue 15): EVERY response that matches the listing's filters, no
 * page cap, oldest first. Streamed in keyset pages over the listing's indexes (`(workspace |
 * survey | subject | recipient | properties, first_answered_at, id)`), so memory stays constant
 * whatever the count: one page of rows at a time, pulled only as fast as the client reads.
 * RFC 4180 rows with formula cells neutralised and a UTF-8 BOM (`lib/csv.ts`). Properties are one
 * JSON cell (the set as stored, names sorted): the columns stay the same whatever the segments.
 */

/** The header row, in the order of each row's cells. */
export const EXPORT_COLUMNS = ['id', 'survey', 'survey_name', 'subject', 'recipient', 'agent', 'score', 'label', 'sentiment', 'comment', 'status', 'properties', 'first_answered_at', 'last_answered_at', 'commented_at'] as const;

/** Rows read per page: big enough that a page's query cost is amortised, small enough to stay a few hundred kB. */
export const EXPORT_PAGE_ROWS = 1000;

const encoder = new TextEncoder();

/**
 * A stream of the CSV of every response of the workspace that matches `query` (the listing's
 * filters: survey, subject, recipient/email, agent, status, since/from, to, property). The
 * filters are checked now (VALIDATION_FAILED naming the field), before anything is streamed.
 */
export function exportResponsesCsv(db: Db, workspaceId: string, query: ResponseQuery): ReadableStream<Uint8Array> {
  const filters = { ...responseFilters(query), limit: EXPORT_PAGE_ROWS, order: 'asc' as const };
  let after: { firstAnsweredAt: number; id: string } | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(CSV_BOM + csvRow(EXPORT_COLUMNS)));
        }
        const rows = await listResponses(db, workspaceId, { ...filters, after });
        const page = rows.slice(0, EXPORT_PAGE_ROWS);
        let text = '';
        for (const { response: r, scale, properties, surveyName } of page) {
          text += csvRow([
            r.id,
            r.surveyId,
            surveyName,
            r.subject,
            r.recipient,
            r.agent,
            r.score,
            answerLabel('en', scale, r.score).text,
            r.sentiment,
            r.comment,
            r.status,
            properties,
            iso(r.firstAnsweredAt),
            iso(r.lastAnsweredAt),
            iso(r.commentedAt),
          ]);
        }
        if (text) controller.enqueue(encoder.encode(text));
        const last = page.at(-1);
        if (rows.length <= EXPORT_PAGE_ROWS || !last) controller.close();
        else after = { firstAnsweredAt: last.response.firstAnsweredAt, id: last.response.id };
      },
    },
    // One page at a time: the next is read only when the client has taken this one.
    { highWaterMark: 1 },
  );
}

/** The file name of an export: `responses-<survey or workspace>-<UTC date>.csv`. */
export function exportFileName(workspaceId: string, query: ResponseQuery, now: Date): string {
  return `responses-${(query.survey || workspaceId).replace(/[^0-9a-z_]/gi, '')}-${now.toISOString().slice(0, 10)}.csv`;
}
