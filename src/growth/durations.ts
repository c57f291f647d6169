/** A day and a week in milliseconds, for instants (a local calendar day can be 23 or 25 hours: use luxon there). */
export const DAY_MS = 24 * 3600 * 1000;
export const WEEK_MS = 7 * DAY_MS;
