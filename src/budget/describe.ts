/** How budget figures read to a person: shares as percentages, reset times as a clock time and how far off. */

export function pct(share: number): string {
  const p = share * 100;
  return `${p >= 10 || Number.isInteger(p) ? p.toFixed(0) : p.toFixed(1)}%`;
}

function duration(ms: number): string {
  const min = Math.round(Math.abs(ms) / 60_000);
  if (min < 1) return 'under a minute';
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h${min % 60 ? ` ${min % 60} min` : ''}`;
  return `${Math.round(h / 24)} days`;
}

export function ago(iso: string, now: Date): string {
  return `${duration(now.getTime() - Date.parse(iso))} ago`;
}

/** "14:05 (in 1 h 12 min)", "Mon 09:00 (in 3 days)"; local time, as the user's clock shows it. */
export function when(iso: string, now: Date): string {
  const t = new Date(iso);
  const hhmm = `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
  const sameDay = t.toDateString() === now.toDateString();
  const day = sameDay ? '' : `${t.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' })} `;
  const diff = t.getTime() - now.getTime();
  return `${day}${hhmm} (${diff >= 0 ? `in ${duration(diff)}` : `${duration(diff)} ago`})`;
}

export function usd(n: number): string {
  return `$${n < 1 ? n.toFixed(4) : n.toFixed(2)}`;
}
