import { afterEach, describe, expect, it } from 'vitest';
import { localTime, zoneOf } from '../../../src/sys/time.js';

/** Times as a person reads them: local clock and its zone, not the record's UTC. */
const original = process.env.TZ;
afterEach(() => {
  process.env.TZ = original;
});

describe('localTime', () => {
  it('shows the local clock with the offset in force on that date', () => {
    process.env.TZ = 'Asia/Kolkata';
    expect(localTime('2026-11-25T09:31:07.000Z')).toBe('2026-11-25 15:01 UTC+05:30');
    expect(localTime('2026-11-25T09:31:07.000Z', { seconds: true })).toBe('2026-11-25 15:01:07 UTC+05:30');
    expect(localTime('2026-11-25T23:31:07.000Z', { zone: false })).toBe('2026-11-26 05:01');
    process.env.TZ = 'America/New_York';
    // Daylight saving time: the offset of each date, not of today.
    expect(localTime('2026-07-01T12:00:00.000Z')).toBe('2026-07-01 08:00 UTC-04:00');
    expect(localTime('2026-12-01T12:00:00.000Z')).toBe('2026-12-01 07:00 UTC-05:00');
    process.env.TZ = 'UTC';
    expect(zoneOf(new Date())).toBe('UTC');
    expect(localTime('not a time')).toBe('not a time');
  });
});
