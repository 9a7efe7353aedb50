import { isRfc3339, jakartaDate, jakartaTimestamp, jakartaTimestampMillis } from './time';

describe('Jakarta timestamps', () => {
  it('formats in +07:00 within 25 characters', () => {
    const d = new Date('2023-11-14T22:13:21.045Z');
    expect(jakartaTimestamp(d)).toBe('2023-11-15T05:13:21+07:00');
    expect(jakartaTimestamp(d)).toHaveLength(25);
    expect(jakartaTimestampMillis(d)).toBe('2023-11-15T05:13:21.045+07:00');
    expect(jakartaDate(d)).toBe('20231115');
    expect(isRfc3339(jakartaTimestamp(d))).toBe(true);
    expect(isRfc3339('2023-11-15 05:13:21')).toBe(false);
  });
});
