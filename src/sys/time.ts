/**
 * Times as a person reads them: the local clock, with the zone said as an offset from UTC, never the raw UTC ISO
 * string the record keeps. `2026-11-25 10:31 UTC+01:00`; the offset is the one in force on that date.
 */

const two = (n: number) => String(n).padStart(2, '0');

/** The local zone on that date, as an offset: `UTC`, `UTC+01:00`, `UTC-04:30`. */
export function zoneOf(t: Date): string {
  const offset = -t.getTimezoneOffset();
  if (offset === 0) return 'UTC';
  const a = Math.abs(offset);
  return `UTC${offset > 0 ? '+' : '-'}${two(Math.floor(a / 60))}:${two(a % 60)}`;
}

/** `2026-11-25 10:31` in local time; with `seconds`, `10:31:07`; with `zone`, the offset after it. */
export function localTime(iso: string, opts: { seconds?: boolean; zone?: boolean } = {}): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const day = `${t.getFullYear()}-${two(t.getMonth() + 1)}-${two(t.getDate())}`;
  const clock = `${two(t.getHours())}:${two(t.getMinutes())}${opts.seconds ? `:${two(t.getSeconds())}` : ''}`;
  return `${day} ${clock}${opts.zone === false ? '' : ` ${zoneOf(t)}`}`;
}
