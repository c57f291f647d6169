// Clock formatting and the datetime input's wall time → instant, in a person's zone (pure).

/** "Mon 7 Dec, 10:00" in `tz`. */
export function formatIn(iso, tz, opts = {}) {
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...opts,
  });
  return fmt.format(new Date(iso));
}

/** HH:MM of a Slack ts (seconds since the epoch) in `tz`. */
export function tsTime(ts, tz) {
  const ms = Math.floor(Number(ts) * 1000);
  if (!Number.isFinite(ms)) return '';
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms));
}

/** The day of a Slack ts in `tz`, for day dividers ("Monday 7 December"). */
export function tsDay(ts, tz) {
  const ms = Math.floor(Number(ts) * 1000);
  if (!Number.isFinite(ms)) return '';
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz, weekday: 'long', day: 'numeric', month: 'long' }).format(
    new Date(ms),
  );
}

/** Minutes `tz` is ahead of UTC at instant `ms`. */
function offsetMinutes(ms, tz) {
  const parts = {};
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  for (const p of fmt.formatToParts(new Date(ms))) parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

/** `2026-12-07T10:00` (a datetime-local value) read as wall time in `tz` → ISO instant, or null. */
export function zonedToIso(local, tz) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local ?? '');
  if (!m) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  let guess = wall - offsetMinutes(wall, tz) * 60000;
  guess = wall - offsetMinutes(guess, tz) * 60000;
  return new Date(guess).toISOString();
}

/** An instant as a datetime-local value in `tz` (to prefill the input). */
export function isoToZoned(iso, tz) {
  const ms = new Date(iso).getTime();
  return new Date(ms + offsetMinutes(ms, tz) * 60000).toISOString().slice(0, 16);
}

/** The keys of `instants` (ISO strings; missing ones last), earliest first: the jump buttons in the order they come. */
export function inDateOrder(keys, instants = {}) {
  const at = (k) => (instants[k] ? Date.parse(instants[k]) : Number.POSITIVE_INFINITY);
  return [...keys].sort((a, b) => at(a) - at(b));
}
