import { createClient } from '@libsql/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isId, newId, newResponseId, sqlNewId } from '../../worker/lib/ids';

afterEach(() => {
  vi.useRealTimers();
});

describe('ids', () => {
  it('time-ordered kinds sort in the order they were made, across milliseconds', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const made: string[] = [];
    for (let i = 0; i < 50; i++) {
      vi.setSystemTime(Date.UTC(2026, 10, 23) + i * 37);
      made.push(newId('event'));
    }
    expect([...made].sort()).toEqual(made);
    expect(made.every((id) => isId('event', id))).toBe(true);
  });

  it('response ids keep 130 random bits after the time and pass isId', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newResponseId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) {
      expect(id).toMatch(/^rsp_[0-9a-z]{36}$/);
      expect(isId('response', id)).toBe(true);
    }
  });

  it('other kinds stay purely random (no time inside)', () => {
    expect(newId('survey')).toMatch(/^sv_[0-9a-z]{16}$/);
  });

  it('isId rejects the wrong prefix, characters outside the alphabet and wrong lengths', () => {
    expect(isId('response', newId('event'))).toBe(false);
    expect(isId('event', 'ev_ILOU0000000000000000')).toBe(false);
    expect(isId('event', 'ev_0123')).toBe(false);
    expect(isId('event', `ev_${'0'.repeat(41)}`)).toBe(false);
  });

  it('ids made by SQLite carry the same time prefix as ids made in code, so both sort together', async () => {
    const db = createClient({ url: ':memory:' });
    try {
      const at = Date.UTC(2026, 10, 23, 10, 0, 0, 123);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(at);
      const fromCode = newId('delivery');
      const { rows } = await db.execute({ sql: `SELECT ${sqlNewId('delivery', '?1')} AS id`, args: [at] });
      const fromSql = String(rows[0]!.id);
      expect(isId('delivery', fromSql)).toBe(true);
      const timePart = (id: string) => id.slice(0, id.indexOf('_') + 11);
      expect(timePart(fromSql)).toBe(timePart(fromCode));
      const later = await db.execute({ sql: `SELECT ${sqlNewId('delivery', '?1')} AS id`, args: [at + 1] });
      expect(String(later.rows[0]!.id) > fromCode).toBe(true);
    } finally {
      db.close();
    }
  });
});
