import { jakartaDate, jakartaDay, jakartaIso, jakartaYesterday } from './jakarta-day';

describe('Jakarta days', () => {
  it('should turn a date into [00:00, 24:00) Jakarta time', () => {
    const day = jakartaDay('2026-11-20')!;
    expect(day.start.toISOString()).toBe('2026-11-19T17:00:00.000Z');
    expect(day.end.toISOString()).toBe('2026-11-20T17:00:00.000Z');
    expect(jakartaIso(day.start)).toBe('2026-11-20T00:00:00+07:00');
  });

  it.each(['2026-02-30', '2026-13-01', '20261120', '2026-1-5', '', 'yesterday', '2026-11-20T00:00:00Z'])('should refuse %j', (value) => {
    expect(jakartaDay(value)).toBeNull();
  });

  it('should accept a leap day only in leap years', () => {
    expect(jakartaDay('2028-02-29')).not.toBeNull();
    expect(jakartaDay('2026-02-29')).toBeNull();
  });

  it('should date an instant by the Jakarta calendar, not UTC', () => {
    expect(jakartaDate(new Date('2026-11-20T16:59:59.999Z'))).toBe('2026-11-20');
    expect(jakartaDate(new Date('2026-11-20T17:00:00.000Z'))).toBe('2026-11-21');
  });

  it('should find yesterday in Jakarta time', () => {
    // 00:30 on the 21st in Jakarta is still the 20th in UTC.
    expect(jakartaYesterday(new Date('2026-11-20T17:30:00Z')).date).toBe('2026-11-20');
    expect(jakartaYesterday(new Date('2026-11-20T16:30:00Z')).date).toBe('2026-11-19');
    expect(jakartaYesterday(new Date('2026-03-01T03:00:00Z')).date).toBe('2026-02-28');
  });
});
