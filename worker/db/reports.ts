import type { InStatement, InValue, Row } from '@libsql/client';
import { monthOf, nextMonth } from '../lib/time-zones';
import type { Db } from './index';

/**
 * The reads of a report (`services/reports.ts`): counts of responses per (key, status, score) and
 * messages sent. Whole local days come from the aggregates the triggers of migration 0017 keep;
 * the partial days at the edges of a period (a period that does not start or end at local
 * midnight) from `responses` itself, over the survey's index: at most two days of rows.
 */

/** SQL of the local day of the instant `ms` (an SQL expression) in the zone `zone` (an SQL expression), as the triggers compute it. */
function localDaySql(ms: string, zone: string): string {
  return `((${ms} + 60000 * coalesce((SELECT o.offset_minutes FROM time_zone_offsets o WHERE o.zone = ${zone} AND o.from_ms <= ${ms} ORDER BY o.from_ms DESC LIMIT 1), 0)) / 86400000)`;
}

/** SQL of the first day of the month holding local day `day` (an SQL expression), as the triggers compute it (`monthOf`). */
function monthSql(day: string): string {
  return `${day} - CAST(strftime('%d', ${day} * 86400, 'unixepoch') AS INTEGER) + 1`;
}

/**
 * Sets a workspace's time zone and re-buckets its aggregates in the same transaction: the zone's
 * offsets are stored (once per zone), and every count of the workspace's surveys is recounted
 * from `responses` and `reports_sends` on the new local days (the triggers of the per-agent
 * counts, migration 0021, fill the agent-less day counts and the month counts from them). One write; at a
 * million responses it holds the write lock for a few seconds (a rare, deliberate act of an owner
 * or admin).
 */
export async function setTimeZone(db: Db, workspaceId: string, zone: string, offsets: { fromMs: number; offsetMinutes: number }[]): Promise<void> {
  const surveysOf = 'survey_id IN (SELECT id FROM surveys WHERE workspace_id = ?)';
  const day = localDaySql('r.first_answered_at', '?');
  const sendDay = localDaySql('s.minute * 60000', '?');
  const statements: InStatement[] = [];
  for (let i = 0; i < offsets.length; i += 500) {
    const chunk = offsets.slice(i, i + 500);
    statements.push({
      sql: `INSERT INTO time_zone_offsets (zone, from_ms, offset_minutes) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`,
      args: chunk.flatMap((o) => [zone, o.fromMs, o.offsetMinutes]),
    });
  }
  statements.push(
    { sql: 'UPDATE workspaces SET time_zone = ? WHERE id = ?', args: [zone, workspaceId] },
    ...['reports_counts', 'reports_day_counts', 'reports_month_counts', 'reports_property_counts', 'reports_property_month_counts', 'reports_sent_days', 'reports_sent_property_days'].map((table) => ({ sql: `DELETE FROM ${table} WHERE ${surveysOf}`, args: [workspaceId] })),
    {
      sql: `INSERT INTO reports_counts (survey_id, day, agent, status, score, n)
            SELECT r.survey_id, ${day}, coalesce(r.agent, ''), r.status, r.score, count(*) FROM responses r WHERE r.workspace_id = ? AND r.revision > 0 GROUP BY 1, 2, 3, 4, 5`,
      args: [zone, workspaceId],
    },
    {
      sql: `INSERT INTO reports_property_counts (survey_id, name, day, value, status, score, n)
            SELECT r.survey_id, v.name, ${day}, v.value, r.status, r.score, count(*)
            FROM responses r JOIN link_property_values v ON v.properties_id = r.properties_id WHERE r.workspace_id = ? AND r.revision > 0 GROUP BY 1, 2, 3, 4, 5, 6`,
      args: [zone, workspaceId],
    },
    {
      sql: `INSERT INTO reports_property_month_counts (survey_id, name, month, value, status, score, n)
            SELECT survey_id, name, ${monthSql('day')}, value, status, score, sum(n) FROM reports_property_counts WHERE ${surveysOf} GROUP BY 1, 2, 3, 4, 5, 6`,
      args: [workspaceId],
    },
    {
      sql: `INSERT INTO reports_sent_days (survey_id, day, agent, n)
            SELECT s.survey_id, ${sendDay}, s.agent, sum(s.n) FROM reports_sends s WHERE s.${surveysOf} GROUP BY 1, 2, 3`,
      args: [zone, workspaceId],
    },
    {
      sql: `INSERT INTO reports_sent_property_days (survey_id, name, day, value, agent, n)
            SELECT s.survey_id, v.name, ${sendDay}, v.value, s.agent, sum(s.n)
            FROM reports_sends s JOIN link_property_values v ON v.properties_id = s.properties_id WHERE s.${surveysOf} GROUP BY 1, 2, 3, 4, 5`,
      args: [zone, workspaceId],
    },
  );
  await db.$client.batch(statements, 'write');
}

/** What the counts are broken down by, besides status and score. */
export type CellKey = { by: 'none' } | { by: 'day' } | { by: 'agent' } | { by: 'property'; name: string };

export interface CellFilters {
  surveyId: string;
  agent?: string;
  property?: { name: string; value: string };
  /** Only counted responses, or only the others (pending, bot); default: all. */
  statuses?: 'counted' | 'uncounted';
}

/** The SQL condition of `statuses` on the status column `column` (literals: no arguments). */
function statusesSql(statuses: CellFilters['statuses'], column: string): string[] {
  return statuses === undefined ? [] : [statuses === 'counted' ? `${column} = 'counted'` : `${column} <> 'counted'`];
}

/** One count: responses with this key (a day number, an agent, a property value, or null), status and score. */
export interface Cell {
  key: string | number | null;
  status: string;
  score: number;
  n: number;
}

/** A stretch of a partial day read from `responses`: [from, to) in ms, on local day `day`. */
export interface Edge {
  from: number;
  to: number;
  day: number;
}

/**
 * Wraps counts per (k, status, score, n) into one row per (k, status) whose `d` lists its
 * `score:n` pairs (`toCells` unpacks them): a year by day is ~365 rows instead of ~4,000, and
 * moving rows out of the database client costs far more than building the lists inside SQLite.
 */
function packedSql(counts: string): string {
  return `SELECT k, status, group_concat(score || ':' || n) AS d FROM (${counts}) GROUP BY 1, 2`;
}

/**
 * Whether the aggregates hold the counts of this read: a property (filter or breakdown) with an
 * agent (filter or breakdown), or two different properties, are in no aggregate (the property
 * counts carry no agent, to stay small), so such a read scans `responses` (`scanStatement`).
 */
export function aggregatesHold(filters: CellFilters, key: CellKey): boolean {
  const byProperty = key.by === 'property' || filters.property !== undefined;
  if (byProperty && (key.by === 'agent' || filters.agent !== undefined)) return false;
  return !(filters.property && key.by === 'property' && key.name !== filters.property.name);
}

/**
 * The statement that sums the aggregates over local days [dayFrom, dayTo), for a read the
 * aggregates hold (`aggregatesHold`). A property filter or a property breakdown reads the property
 * counts (one name at a time); an agent filter or breakdown the per-agent counts; the rest the
 * agent-less `reports_day_counts`, the smallest by day. Unless broken down by day, the whole local
 * months inside the period come from the month tables and only the days at their edges by day, so
 * a year sums about a month of days and a dozen months instead of 365 days.
 */
export function aggregateStatement(filters: CellFilters, key: CellKey, dayFrom: number, dayTo: number): InStatement {
  const byProperty = key.by === 'property' ? key.name : filters.property?.name;
  const byAgent = key.by === 'agent' || filters.agent !== undefined;
  const keyColumn = key.by === 'day' ? 'day' : key.by === 'agent' ? 'agent' : key.by === 'property' ? 'value' : 'NULL';
  const [dayTable, monthTable] =
    byProperty !== undefined ? ['reports_property_counts', 'reports_property_month_counts'] : byAgent ? ['reports_counts', 'reports_month_counts'] : ['reports_day_counts', 'reports_month_counts'];
  const firstMonth = monthOf(dayFrom) === dayFrom ? dayFrom : nextMonth(dayFrom);
  const lastMonth = monthOf(dayTo);
  const ranges: { table: string; column: string; from: number; to: number }[] =
    key.by === 'day' || firstMonth >= lastMonth
      ? [{ table: dayTable, column: 'day', from: dayFrom, to: dayTo }]
      : [
          { table: dayTable, column: 'day', from: dayFrom, to: firstMonth },
          { table: monthTable, column: 'month', from: firstMonth, to: lastMonth },
          { table: dayTable, column: 'day', from: lastMonth, to: dayTo },
        ].filter((range) => range.from < range.to);
  const args: InValue[] = [];
  const parts = ranges.map(function rangeSelect(range) {
    const where = ['survey_id = ?'];
    args.push(filters.surveyId);
    if (byProperty !== undefined) {
      where.push('name = ?');
      args.push(byProperty);
    }
    where.push(`${range.column} >= ?`, `${range.column} < ?`);
    args.push(range.from, range.to);
    if (filters.property) {
      where.push('value = ?');
      args.push(filters.property.value);
    }
    if (filters.agent !== undefined) {
      where.push('agent = ?');
      args.push(filters.agent);
    }
    where.push(...statusesSql(filters.statuses, 'status'));
    return `SELECT ${keyColumn} AS k, status, score, n FROM ${range.table} WHERE ${where.join(' AND ')}`;
  });
  return { sql: packedSql(`SELECT k, status, score, sum(n) AS n FROM (${parts.join(' UNION ALL ')}) GROUP BY 1, 2, 3 HAVING sum(n) <> 0`), args };
}

/**
 * The same counts from `responses` over stretches of time (the edges of a period, or a whole
 * period for the combination the aggregates do not hold), from the survey's index alone
 * (`responses_survey_id_idx`): it holds every column counted here, so the rows themselves are
 * never read. A day breakdown takes each stretch's day, so a stretch never spans two local days.
 */
export function scanStatement(filters: CellFilters, key: CellKey, edges: Edge[]): InStatement | null {
  if (!edges.length) return null;
  const joins: string[] = [];
  const args: InValue[] = [];
  if (filters.property) {
    joins.push('JOIN link_property_values f ON f.properties_id = r.properties_id AND f.name = ? AND f.value = ?');
    args.push(filters.property.name, filters.property.value);
  }
  if (key.by === 'property') {
    joins.push('JOIN link_property_values g ON g.properties_id = r.properties_id AND g.name = ?');
    args.push(key.name);
  }
  const parts = edges.map((edge) => {
    const keyColumn = key.by === 'day' ? String(Math.trunc(edge.day)) : key.by === 'agent' ? "coalesce(r.agent, '')" : key.by === 'property' ? 'g.value' : 'NULL';
    // Revision 0 is a response a click's batch is still creating: the triggers skip it too.
    const where = ['r.survey_id = ?', 'r.first_answered_at >= ?', 'r.first_answered_at < ?', 'r.revision > 0', ...statusesSql(filters.statuses, 'r.status')];
    const partArgs: InValue[] = [...args, filters.surveyId, edge.from, edge.to];
    if (filters.agent !== undefined) {
      where.push("coalesce(r.agent, '') = ?");
      partArgs.push(filters.agent);
    }
    return {
      sql: `SELECT ${keyColumn} AS k, r.status, r.score, count(*) AS n FROM responses r INDEXED BY responses_survey_id_idx ${joins.join(' ')} WHERE ${where.join(' AND ')} GROUP BY 1, 2, 3`,
      args: partArgs,
    };
  });
  return { sql: packedSql(parts.map((p) => p.sql).join(' UNION ALL ')), args: parts.flatMap((p) => p.args) };
}

/** Messages sent over whole local days [dayFrom, dayTo) and over the edges (to the minute). */
export function sentStatement(filters: CellFilters, dayFrom: number, dayTo: number, edges: Edge[]): InStatement {
  const args: InValue[] = [];
  let days: string;
  if (filters.property) {
    days = `SELECT coalesce(sum(n), 0) FROM reports_sent_property_days WHERE survey_id = ? AND name = ? AND day >= ? AND day < ? AND value = ?`;
    args.push(filters.surveyId, filters.property.name, dayFrom, dayTo, filters.property.value);
  } else {
    days = `SELECT coalesce(sum(n), 0) FROM reports_sent_days WHERE survey_id = ? AND day >= ? AND day < ?`;
    args.push(filters.surveyId, dayFrom, dayTo);
  }
  if (filters.agent !== undefined) {
    days += ' AND agent = ?';
    args.push(filters.agent);
  }
  const edgeSums = edges.map((edge) => {
    const join = filters.property ? 'JOIN link_property_values f ON f.properties_id = s.properties_id AND f.name = ? AND f.value = ?' : '';
    if (filters.property) args.push(filters.property.name, filters.property.value);
    args.push(filters.surveyId, Math.ceil(edge.from / 60_000), Math.ceil(edge.to / 60_000));
    let sql = `SELECT coalesce(sum(s.n), 0) FROM reports_sends s ${join} WHERE s.survey_id = ? AND s.minute >= ? AND s.minute < ?`;
    if (filters.agent !== undefined) {
      sql += ' AND s.agent = ?';
      args.push(filters.agent);
    }
    return `(${sql})`;
  });
  return { sql: `SELECT (${days})${edgeSums.map((e) => ` + ${e}`).join('')} AS sent`, args };
}

/** Runs a report's statements in one read batch (one round trip on Workers) and returns the cells and the sent count. */
export async function readReportCells(db: Db, cellStatements: (InStatement | null)[], sent: InStatement): Promise<{ cells: Cell[][]; sent: number }> {
  const present = cellStatements.filter((s): s is InStatement => s !== null);
  const results = await db.$client.batch([...present, sent], 'read');
  let next = 0;
  const cells = cellStatements.map((statement) => (statement ? results[next++]!.rows.flatMap(toCells) : []));
  return { cells, sent: Number(results.at(-1)!.rows[0]?.sent ?? 0) };
}

/** The cells of one packed row (`packedSql`): one per `score:n` pair of its list. */
function toCells(row: Row): Cell[] {
  const key = row.k === null || row.k === undefined ? null : typeof row.k === 'string' ? row.k : Number(row.k);
  const status = String(row.status);
  return String(row.d ?? '')
    .split(',')
    .filter(Boolean)
    .map(function toCell(pair) {
      const at = pair.indexOf(':');
      return { key, status, score: Number(pair.slice(0, at)), n: Number(pair.slice(at + 1)) };
    });
}
