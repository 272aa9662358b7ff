/**
 * Reading nullable columns of raw rows (`Row` of `@libsql/client`, from hand-written SQL): SQL
 * NULL stays null; anything else becomes a string or a number.
 */
export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
