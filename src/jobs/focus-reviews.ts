import { claimDeliveries, type LeasedDelivery } from '../db/deliveries.ts';
import { type FocusToReview, type FocusWithStats, focusToReview, focusWithStats } from '../db/focus.ts';
import { resolvedHelpIn } from '../db/help-requests.ts';
import type { Deps } from '../deps.ts';
import { competencyNamer } from '../growth/competencies.ts';
import { quarterNamed, quarterOf, REVIEW_RELEVANT_MS, reviewDue } from '../growth/focus.ts';
import { memberKey } from '../growth/member-key.ts';
import { focusReviewMessage } from '../outbound/views/focus.ts';
import { type DeliverStats, deliverDue } from './deliver.ts';

export interface FocusReviewsReport extends DeliverStats {
  claimed: number;
}

/** The review ref names the member whose focus it is: one per recipient, quarter and member. */
const refOf = (userId: string) => `focus:${userId}`;

/** The quarters a review can still be due for: this one (ending somewhere soon) and the last. */
export function reviewQuarters(now: Date): string[] {
  const q = quarterOf(now, 'UTC');
  return [quarterOf(new Date(q.start.getTime() - 1), 'UTC').quarter, q.quarter];
}

export interface ReviewDue {
  teamId: string;
  /** Who gets it: the member or their mentor. */
  userId: string;
  quarter: string;
  ref: string;
  due: Date;
}

/** Each review of these focus rows with when it is due, in its recipient's own zone. */
export function reviewsOf(rows: readonly FocusToReview[]): ReviewDue[] {
  return rows.flatMap((f) => {
    const out: ReviewDue[] = [];
    const add = (userId: string, tz: string) => {
      const q = quarterNamed(f.quarter, tz);
      if (q) out.push({ teamId: f.teamId, userId, quarter: f.quarter, ref: refOf(f.userId), due: reviewDue(q, tz) });
    };
    add(f.userId, f.tz);
    if (f.mentorId && f.mentorTz) add(f.mentorId, f.mentorTz);
    return out;
  });
}

/**
 * At the end of each quarter (the first working day after it, 10:00 in each one's own zone), the
 * member with a focus and their mentor each get its review, claimed once per person, quarter and
 * member, and are asked to choose the next focus; it names the help requests resolved in the
 * quarter. Only shared check-ins count (db/privacy.ts).
 */
export async function runFocusReviews(deps: Deps, now: Date): Promise<FocusReviewsReport> {
  const due = reviewsOf(await focusToReview(deps.db, reviewQuarters(now))).filter(
    (r) => r.due <= now && now.getTime() - r.due.getTime() < REVIEW_RELEVANT_MS,
  );
  const claimed = await claimDeliveries(
    deps.db,
    'focus_review',
    due.map((r) => ({ teamId: r.teamId, userId: r.userId, week: r.quarter, ref: r.ref })),
    now,
  );
  const nameOf = competencyNamer(deps.rubrics);
  const menteeOf = (row: LeasedDelivery) => row.ref.replace(/^focus:/, '');
  let focus = new Map<string, FocusWithStats>();
  let resolved = new Map<string, (string | null)[]>();
  const stats = await deliverDue(
    deps,
    deps.queue,
    {
      kind: 'focus_review',
      cutoff: (row) => new Date(row.claimedAt.getTime() + REVIEW_RELEVANT_MS),
      prepare: async (rows) => {
        const rowsOf = await focusToReview(deps.db, [...new Set(rows.map((r) => r.week))]);
        const spans = rowsOf.flatMap((f) => {
          const q = quarterNamed(f.quarter, f.tz);
          return q ? [{ teamId: f.teamId, userId: f.userId, ...q }] : [];
        });
        [focus, resolved] = await Promise.all([
          focusWithStats(deps.db, spans, 'others'),
          resolvedHelpIn(deps.db, spans),
        ]);
      },
      render: (row) => {
        const k = memberKey(row.teamId, menteeOf(row));
        const f = focus.get(k);
        if (!f || f.quarter !== row.week) return null;
        return focusReviewMessage({
          focus: f,
          forMentor: row.userId !== f.userId,
          resolvedHelp: resolved.get(k) ?? [],
          nameOf,
        });
      },
    },
    now,
  );
  const report = { claimed, ...stats };
  deps.logger.info({ job: 'focus-reviews', ...report }, 'focus reviews run');
  return report;
}
