// ISO 8601 weeks (Monday to Sunday, week 1 holds the year's first Thursday), in UTC: the verdict quality
// review draws its sample per week, and the desk and the renderer name "this week" the same way.

const DAY_MS = 86_400_000;
export const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

/** The Monday 00:00 UTC that starts ISO week 1 of `year`. */
function firstMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return jan4 - weekday * DAY_MS;
}

/** The ISO week `at` falls in, as `2026-W49`. */
export function isoWeekOf(at: Date): string {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const weekday = (new Date(day).getUTCDay() + 6) % 7;
  // The week belongs to the year of its Thursday.
  const thursday = new Date(day + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - firstMonday(year)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The week's bounds: from its Monday 00:00 UTC (inclusive) to the next Monday (exclusive); null if no such week. */
export function isoWeekRange(week: string): { from: Date; to: Date } | null {
  const match = ISO_WEEK.exec(week);
  if (!match) return null;
  const year = Number(match[1]);
  const number = Number(match[2]);
  if (number < 1) return null;
  const from = firstMonday(year) + (number - 1) * 7 * DAY_MS;
  // Week 53 exists only in long years: its Monday must still be in a week of `year`.
  if (isoWeekOf(new Date(from)) !== week) return null;
  return { from: new Date(from), to: new Date(from + 7 * DAY_MS) };
}
