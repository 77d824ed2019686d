/**
 * The calendar windows duo's own spend is counted in: today (from local midnight) and this week (from Monday
 * 00:00 local). Caps reset when the day or week turns, so a paused run knows when it may go on.
 */

export function startOfDay(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

export function startOfWeek(now: Date): Date {
  const day = startOfDay(now);
  const sinceMonday = (day.getDay() + 6) % 7;
  return new Date(day.getFullYear(), day.getMonth(), day.getDate() - sinceMonday);
}

export function endOfDay(now: Date): Date {
  const d = startOfDay(now);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1);
}

export function endOfWeek(now: Date): Date {
  const w = startOfWeek(now);
  return new Date(w.getFullYear(), w.getMonth(), w.getDate() + 7);
}

/** How far back the budget reads the ledger: the week so far, and at least eight days for the latest plan figures. */
export function budgetHorizon(now: Date): Date {
  const eight = new Date(now.getTime() - 8 * 86_400_000);
  const week = startOfWeek(now);
  return week < eight ? week : eight;
}
