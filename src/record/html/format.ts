/** How the pages say durations, token counts, money and dates: as a person would, and the same everywhere. */

export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Time since the run started, for an axis: 0:05, 1:30, 1:02:00; a run under ten seconds in seconds (0.25 s). */
export function offset(ms: number, fine: boolean): string {
  if (fine) return `${Number((ms / 1000).toFixed(2))} s`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

export function tokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

export function usd(n: number | null): string {
  if (n === null) return '–';
  return n < 1 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`;
}

/** An ISO time as a date and minute, in UTC and saying so: the page is read anywhere, from a CI artifact too. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '–';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return `${t.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Within a run: the time of day to the second, with the date only when it is not the run's first day. */
export function within(iso: string, runStart: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const full = t.toISOString();
  return full.slice(0, 10) === runStart.slice(0, 10)
    ? `${full.slice(11, 19)} UTC`
    : `${full.slice(0, 19).replace('T', ' ')} UTC`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function percent(x: number | null): string {
  return x === null ? '–' : `${Math.round(x * 100)}%`;
}
