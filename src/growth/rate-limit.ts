/** At most `max` times within `windowMs`: the times kept for a key, and whether one more is allowed now. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

/**
 * Whether something done at the instants in `past` may be done again at `now`; the instants
 * to keep (with `now` when allowed), and when it may be done again when it may not.
 */
export function allowAgain(
  past: readonly number[],
  now: number,
  limit: RateLimit,
): { ok: true; keep: number[] } | { ok: false; keep: number[]; againAt: number } {
  const recent = past.filter((t) => t > now - limit.windowMs);
  if (recent.length < limit.max) return { ok: true, keep: [...recent, now] };
  return { ok: false, keep: recent, againAt: Math.min(...recent) + limit.windowMs };
}
