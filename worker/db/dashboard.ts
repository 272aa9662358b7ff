import { sql } from 'drizzle-orm';
import type { Db } from './index';

/**
 * The property names a survey's responses carry (the dashboard's property selector), from the
 * aggregates. A skip scan: each step seeks the next name on the primary key (survey, name, …), so
 * the cost is one seek per name however many days, values and agents each name has.
 */
export async function reportPropertyNames(db: Db, surveyId: string): Promise<string[]> {
  const rows = await db.all<{ name: string }>(sql`WITH RECURSIVE names(name) AS (
      SELECT (SELECT min(name) FROM reports_property_counts WHERE survey_id = ${surveyId})
      UNION ALL
      SELECT (SELECT min(p.name) FROM reports_property_counts p WHERE p.survey_id = ${surveyId} AND p.name > names.name) FROM names WHERE names.name IS NOT NULL
    ) SELECT name FROM names WHERE name IS NOT NULL`);
  return rows.map((row) => row.name);
}
