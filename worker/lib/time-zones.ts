/**
 * IANA time zones for reports (issue 15): which names are valid, and each zone's UTC offsets from
 * 1970 to 2100 as a list of transitions. The same list fills `time_zone_offsets`, which the
 * aggregate triggers read (migration 0017), and answers the report's own day arithmetic, so a
 * response lands on the same local day in SQL and in code.
 */

/** A transition: from `fromMs` (epoch ms) on, the zone is `offsetMinutes` ahead of UTC. */
export interface ZoneTransition {
  fromMs: number;
  offsetMinutes: number;
}

export const DAY_MS = 86_400_000;
/** The first row of every zone: its offset at 1970 holds for all earlier times. */
export const ZONE_START_MS = -8_640_000_000_000_000;
const SCAN_FROM = Date.UTC(1970, 0, 1);
const SCAN_TO = Date.UTC(2100, 0, 1);
/**
 * The scan's step. Offsets change at most a few times a year and never twice within a week
 * (the closest pair in tzdata since 1970, Morocco's Ramadan pauses, is weeks apart); each change
 * found is then narrowed to the minute. Weekly: 6,800 `Intl` calls (~35 ms) per zone, once.
 */
const STEP_MS = 7 * DAY_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();
function offsetFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset', year: 'numeric' });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/**
 * The spelling of an IANA zone name to store (`europe/rome` → `Europe/Rome`), or null when
 * `Intl` does not know it. Offsets such as `+02:00` are refused: a team means a place, whose
 * offset changes with daylight saving time.
 */
export function canonicalTimeZone(name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return null;
  try {
    const zone = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    if (zone === 'Etc/UTC' || zone === 'Etc/GMT' || zone === 'UTC') return 'UTC';
    // ICU resolves some current names to their older aliases (Asia/Kolkata → Asia/Calcutta): a
    // team keeps the name it chose; only its letter case is taken from ICU's when they agree.
    return zone.toLowerCase() === name.toLowerCase() ? zone : name;
  } catch {
    return null;
  }
}

/** Minutes ahead of UTC in `zone` at `ms` ("GMT+05:30" → 330), straight from `Intl`. */
export function intlOffsetMinutes(zone: string, ms: number): number {
  const part = offsetFormatter(zone)
    .formatToParts(ms)
    .find((p) => p.type === 'timeZoneName')?.value;
  const match = part ? /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(part) : null;
  if (!match) throw new RangeError(`Unexpected offset "${part}" for ${zone}`);
  if (!match[1]) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]) + Math.round(Number(match[4] ?? 0) / 60);
  return match[1] === '-' ? -minutes : minutes;
}

const transitionCache = new Map<string, ZoneTransition[]>();

/** The zone's transitions from 1970 to 2100, the first from `ZONE_START_MS` (cached per zone). */
export function zoneTransitions(zone: string): ZoneTransition[] {
  const cached = transitionCache.get(zone);
  if (cached) return cached;
  const list: ZoneTransition[] = [{ fromMs: ZONE_START_MS, offsetMinutes: intlOffsetMinutes(zone, SCAN_FROM) }];
  if (zone !== 'UTC') {
    let before = list[0]!.offsetMinutes;
    for (let t = SCAN_FROM + STEP_MS; t <= SCAN_TO; t += STEP_MS) {
      const now = intlOffsetMinutes(zone, t);
      if (now === before) continue;
      // Narrow the change down to the minute: offsets change on whole minutes.
      let lo = t - STEP_MS;
      let hi = t;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (intlOffsetMinutes(zone, mid) === before) lo = mid;
        else hi = mid;
      }
      list.push({ fromMs: hi, offsetMinutes: now });
      before = now;
    }
  }
  transitionCache.set(zone, list);
  return list;
}

/** The offset in minutes at `ms`, from the transition list (as the SQL triggers find it). */
export function offsetAt(transitions: ZoneTransition[], ms: number): number {
  let lo = 0;
  let hi = transitions.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (transitions[mid]!.fromMs <= ms) lo = mid;
    else hi = mid - 1;
  }
  return transitions[lo]!.offsetMinutes;
}

/** The local day number (days since 1970-01-01 on the zone's calendar) of the instant `ms`. */
export function localDay(transitions: ZoneTransition[], ms: number): number {
  return Math.floor((ms + offsetAt(transitions, ms) * 60_000) / DAY_MS);
}

/**
 * The first instant of local day `day`: local midnight, or the first instant after it when a
 * transition skips midnight (then the day starts at the end of the gap).
 */
export function dayStart(transitions: ZoneTransition[], day: number): number {
  const midnight = day * DAY_MS;
  // The instant t with t + offset(t) = midnight, tried with the offsets around it.
  let best = Number.POSITIVE_INFINITY;
  for (const probe of [midnight - 15 * 60 * 60_000, midnight, midnight + 15 * 60 * 60_000]) {
    const t = midnight - offsetAt(transitions, probe) * 60_000;
    if (localDay(transitions, t) === day && localDay(transitions, t - 1) < day) best = Math.min(best, t);
  }
  if (Number.isFinite(best)) return best;
  // Midnight fell in a gap: the day starts at the transition that ends the gap.
  const next = transitions.find((tr) => tr.fromMs > midnight - 15 * 60 * 60_000 && localDay(transitions, tr.fromMs) === day);
  if (!next) throw new RangeError(`No start for local day ${day}`);
  return next.fromMs;
}

/** `YYYY-MM-DD` of a local day number. */
export function dayKey(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The local day number of the Monday of the ISO week (ISO 8601) holding `day`. */
export function weekOf(day: number): number {
  // 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays.
  return day - (((day + 3) % 7) + 7) % 7;
}

/** The local day number of the first of the month holding `day`. */
export function monthOf(day: number): number {
  const d = new Date(day * DAY_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS;
}

/** The local day number of the first of the month after the one holding `day`. */
export function nextMonth(day: number): number {
  const d = new Date(day * DAY_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY_MS;
}
