/** Calendar days in Jakarta time (UTC+7, no daylight saving): the day Netzme and merchants count in. */
const JAKARTA_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface JakartaDay {
  /** YYYY-MM-DD */
  date: string;
  /** 00:00:00.000 Jakarta, as an instant. */
  start: Date;
  /** 00:00:00.000 Jakarta of the next day (exclusive end). */
  end: Date;
}

/** "2026-11-20" -> that Jakarta day, or null if it is not a real calendar date. */
export function jakartaDay(date: string): JakartaDay | null {
  const m = DATE.exec(date);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utcMidnight = Date.UTC(year, month - 1, day);
  const check = new Date(utcMidnight);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return null; // 2026-02-30 and the like
  }
  const start = new Date(utcMidnight - JAKARTA_OFFSET_MS);
  return { date, start, end: new Date(start.getTime() + DAY_MS) };
}

/** The Jakarta calendar date of an instant, as YYYY-MM-DD. */
export function jakartaDate(at: Date): string {
  return new Date(at.getTime() + JAKARTA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The Jakarta day before the one `now` falls in. */
export function jakartaYesterday(now: Date): JakartaDay {
  return jakartaDay(jakartaDate(new Date(now.getTime() - DAY_MS)))!;
}

/** `2026-11-20T00:00:00+07:00`: how Netzme's history ranges are written. */
export function jakartaIso(at: Date): string {
  return `${new Date(at.getTime() + JAKARTA_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}
