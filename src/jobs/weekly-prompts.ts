import {
  claimDeliveries,
  claimKey,
  claimPrompts,
  existingClaims,
  type LeasedDelivery,
  type PromptClaim,
} from '../db/deliveries.ts';
import { focusIdsOf } from '../db/focus.ts';
import { autoPause, type ScheduledMember, scheduledMembers } from '../db/members-due.ts';
import { currentMentees } from '../db/mentees.ts';
import { closePastWeeks, latestCheckins, type NudgeHistoryRow, nudgeHistory } from '../db/nudges.ts';
import type { Deps } from '../deps.ts';
import { type PastWeek, promptCadence, shouldAutoPause, UNANSWERED_BEFORE_PAUSE } from '../growth/cadence.ts';
import { promptLabel } from '../growth/extra-prompts.ts';
import { quarterOf } from '../growth/focus.ts';
import { groupBy } from '../growth/group-by.ts';
import { memberKey, memberKeyOf } from '../growth/member-key.ts';
import { pickOncallPrompt } from '../growth/oncall.ts';
import { localWeek, previousWeek, type Slot, type Weekday } from '../growth/schedule.ts';
import { selectPrompt } from '../growth/select-prompt.ts';
import {
  autoPausedMessage,
  type PromptMessageInput,
  promptMessage,
  settledPromptMessage,
} from '../outbound/views/prompt-message.ts';
import { oncallPrompts } from '../rubrics/extras.ts';
import { type DeliverStats, deliverDue } from './deliver.ts';
import { breathe, cutoffs, dueAt } from './due.ts';
import { isOncallPrompt, oncallWeeks, shiftsAround } from './oncall-week.ts';

export interface WeeklyPromptsReport extends DeliverStats {
  members: number;
  claimed: number;
  tooLate: number;
  autoPaused: number;
}

/** The weekly slot of a leased delivery or a scheduled member. */
export const slotOf = (m: { promptWeekday: Weekday; promptMinute: number }): Slot => ({
  weekday: m.promptWeekday,
  minute: m.promptMinute,
});

/** What the prompt DM says for a leased delivery (also used by the reminder). */
export function promptInput(
  deps: Deps,
  row: Pick<LeasedDelivery, 'nudgeId' | 'memberLevel' | 'competencyId' | 'promptText' | 'promptId'>,
): PromptMessageInput | null {
  // A leased prompt or reminder always has its nudge; without one, render's outcome check skips it anyway.
  // Stryker disable next-line LogicalOperator: equivalent (above)
  if (!row.nudgeId || !row.promptText) return null;
  return {
    nudgeId: row.nudgeId,
    level: row.memberLevel ?? '',
    competency: row.competencyId ? deps.rubrics.byId.get(row.competencyId) : undefined,
    promptText: row.promptText,
    label: row.promptId ? promptLabel(deps.rubrics, row.promptId) : null,
  };
}

/** Members planned at a time: a fan-out holds one page of members and their history, never all of them. */
export const PAGE_SIZE = 1000;

type Planned = Pick<WeeklyPromptsReport, 'members' | 'claimed' | 'tooLate' | 'autoPaused'>;

/**
 * Claims and sends this week's prompt to every member whose local prompt time has passed,
 * once. Late claims (after downtime) still go out until the cut-off; after it they are
 * recorded as missed. Three unanswered prompts in a row pause the member instead. Members are
 * planned a page at a time (`PAGE_SIZE`), so memory stays flat however many there are; the
 * claims are then sent in leased batches.
 */
export async function runWeeklyPrompts(deps: Deps, now: Date, pageSize = PAGE_SIZE): Promise<WeeklyPromptsReport> {
  const plan: PagePlan = {
    dueOf: dueAt(now),
    weekOfZone: perZone((tz) => localWeek(now, tz)),
    quarterOfZone: perZone((tz) => quarterOf(now, tz).quarter),
    shifts: await shiftsAround(deps, now),
  };
  const planned: Planned = { members: 0, claimed: 0, tooLate: 0, autoPaused: 0 };
  for (let after: { teamId: string; userId: string } | null = null; ; ) {
    const page = await scheduledMembers(deps.db, now, { after, limit: pageSize });
    const p = await planPage(deps, page, plan, now);
    for (const k of Object.keys(planned) as (keyof Planned)[]) planned[k] += p[k];
    const last = page.at(-1);
    // Stryker disable next-line LogicalOperator: equivalent, a page after the last is empty and ends the loop
    if (!last || page.length < pageSize) break;
    after = { teamId: last.teamId, userId: last.userId };
    await breathe();
  }
  const cutoffOf = cutoffs();
  const stats = await deliverDue(
    deps,
    deps.queue,
    {
      kind: 'prompt',
      // An on-call week's prompt may start late in the week: it goes out until Sunday night.
      cutoff: (row) =>
        cutoffOf(
          row.week,
          isOncallPrompt(deps, row.memberLevel, row.promptId) ? 7 : promptCadence(slotOf(row)).cutoff,
          row.tz,
        ),
      render: (row) => {
        const input = promptInput(deps, row);
        if (!input) return null;
        // A check-in made earlier in the week answered it at the claim: sent settled, no buttons.
        if (row.nudgeOutcome === 'answered') return settledPromptMessage(input, 'answered-before');
        return row.nudgeOutcome === 'open' ? promptMessage(input) : null;
      },
    },
    now,
  );
  const report = { ...planned, ...stats };
  // Stryker disable next-line ObjectLiteral,StringLiteral: log wording and fields (tests read the returned report)
  deps.logger.info({ job: 'weekly-prompts', ...report }, 'weekly prompts run');
  return report;
}

/** What the pages of one run share: due-ness, weeks and quarters per zone, and everyone's shifts around now. */
interface PagePlan {
  dueOf: ReturnType<typeof dueAt>;
  weekOfZone: (tz: string) => string;
  quarterOfZone: (tz: string) => string;
  shifts: Awaited<ReturnType<typeof shiftsAround>>;
}

/** `f` of a zone, worked out once per zone: time-zone arithmetic is the costly part, not per member. */
function perZone(f: (tz: string) => string): (tz: string) => string {
  const seen = new Map<string, string>();
  return (tz) => seen.get(tz) ?? seen.set(tz, f(tz)).get(tz)!;
}

/** Plans and claims one page of scheduled members: due, too late, paused, auto-paused. */
async function planPage(deps: Deps, scheduled: ScheduledMember[], plan: PagePlan, now: Date): Promise<Planned> {
  const { db } = deps;
  const { dueOf, weekOfZone, quarterOfZone } = plan;
  const members = scheduled.filter((m) => m.status === 'active');
  await closePastWeeks(
    db,
    members.map((m) => ({ teamId: m.teamId, userId: m.userId, week: weekOfZone(m.tz) })),
    now,
  );

  const due: (ScheduledMember & { week: string; oncall?: boolean })[] = [];
  const late: (ScheduledMember & { week: string })[] = [];
  // On call this week: the on-call prompt instead of the regular one, at the start of the shift.
  const oncall = oncallWeeks(deps, members, plan.shifts, slotOf, now);
  for (const m of members) {
    const on = oncall.get(memberKey(m.teamId, m.userId));
    if (on) {
      if (on.at <= now) due.push({ ...m, week: on.week, oncall: true });
      continue;
    }
    const { slot, cutoff } = promptCadence(slotOf(m));
    const d = dueOf(m.tz, slot, cutoff);
    if (d.state === 'due') due.push({ ...m, week: d.week });
    else if (d.state === 'too-late') late.push({ ...m, week: d.week });
  }
  // A paused member's week is recorded as skipped once its slot passes: progress needs to
  // know which weeks were paused (they neither break nor extend a streak).
  const pausedDue = scheduled
    .filter((m) => m.status === 'paused')
    .flatMap((m) => {
      const d = dueOf(m.tz, slotOf(m), 7);
      return d.state === 'not-yet' ? [] : [{ teamId: m.teamId, userId: m.userId, week: d.week }];
    });
  await claimDeliveries(db, 'prompt', pausedDue, now, 'skipped');
  const existing = await existingClaims(
    db,
    'prompt',
    [...due, ...late].map((m) => m.week),
    [...due, ...late].map((m) => ({ teamId: m.teamId, userId: m.userId })),
  );
  const fresh = <T extends ScheduledMember & { week: string }>(list: T[]) =>
    list.filter((m) => !existing.has(claimKey(m.teamId, m.userId, m.week)));
  const need = fresh(due);
  const tooLate = await claimDeliveries(
    db,
    'prompt',
    fresh(late).map((m) => ({ teamId: m.teamId, userId: m.userId, week: m.week })),
    now,
    'missed',
  );

  const keys = need.map((m) => ({ teamId: m.teamId, userId: m.userId }));
  const oldest = need.reduce((min, m) => (previousWeek(m.week, 52) < min ? previousWeek(m.week, 52) : min), '9999-W99');
  const [nudges, checkins, mentees, focus] = await Promise.all([
    nudgeHistory(db, keys, oldest),
    latestCheckins(db, keys),
    currentMentees(db, null, [
      ...new Set(need.filter((m) => m.level === 'senior' || m.level === 'staff').map((m) => m.userId)),
    ]),
    focusIdsOf(
      db,
      need.map((m) => ({ teamId: m.teamId, userId: m.userId, quarter: quarterOfZone(m.tz) })),
    ),
  ]);
  const mentors = new Set(mentees.map((x) => memberKey(x.teamId, x.mentorId)));
  const nudgesBy = groupBy(nudges, memberKeyOf);
  const checkinsBy = groupBy(checkins, memberKeyOf);

  const claims: PromptClaim[] = [];
  // Stryker disable next-line ArrayDeclaration: equivalent, a stray non-member element matches no member to pause
  const toPause: { teamId: string; userId: string }[] = [];
  for (const [i, m] of need.entries()) {
    // Stryker disable next-line all: equivalent, breathing only lets other work in between (timing, not results)
    if (i % 1000 === 999) await breathe();
    const past = nudgesBy.get(memberKey(m.teamId, m.userId)) ?? [];
    if (shouldAutoPause(previousWeeksOf(m.week), weekHistory(past))) {
      toPause.push({ teamId: m.teamId, userId: m.userId });
      continue;
    }
    // A member on call that week gets an on-call prompt when their level has one left.
    const oncall = m.oncall
      ? pickOncallPrompt(
          oncallPrompts(deps.rubrics, m.level),
          past.map((n) => ({ week: n.week, promptId: n.promptId })),
        )
      : undefined;
    const pick = oncall
      ? { competency: oncall.competency, prompt: oncall }
      : selectPrompt({
          level: m.level,
          week: m.week,
          rubrics: deps.rubrics,
          nudges: past.map((n) => ({ week: n.week, competencyId: n.competencyId, promptId: n.promptId })),
          checkins: (checkinsBy.get(memberKey(m.teamId, m.userId)) ?? []).map((c) => ({
            competencyId: c.competencyId,
            at: c.at,
            rating: c.rating,
          })),
          extras: { stretchEvery: deps.config.stretchEvery, mentors: mentors.has(memberKey(m.teamId, m.userId)) },
          focus: focus.get(memberKey(m.teamId, m.userId)) ?? [],
        });
    claims.push({
      teamId: m.teamId,
      userId: m.userId,
      week: m.week,
      level: m.level,
      competencyId: pick.competency.id,
      promptId: pick.prompt.id,
      promptText: pick.prompt.text,
    });
  }

  const paused = await autoPause(db, toPause, now);
  // This week counts as handled, so resuming later this week does not pause them again at once.
  const weekOf = new Map(need.map((m) => [memberKey(m.teamId, m.userId), m.week]));
  await claimDeliveries(
    db,
    'prompt',
    paused.map((p) => ({ teamId: p.teamId, userId: p.userId, week: weekOf.get(memberKey(p.teamId, p.userId))! })),
    now,
    'skipped',
  );
  await Promise.all(paused.map((p) => tellPaused(deps, p.userId)));
  let claimed = 0;
  // Stryker disable next-line MethodExpression: equivalent, all claims in one batch claim the same
  for (let i = 0; i < claims.length; i += 1000) claimed += await claimPrompts(db, claims.slice(i, i + 1000), now);
  return { members: members.length, claimed, tooLate, autoPaused: paused.length };
}

function previousWeeksOf(week: string): string[] {
  return Array.from({ length: UNANSWERED_BEFORE_PAUSE }, (_, i) => previousWeek(week, i + 1));
}

function weekHistory(rows: readonly NudgeHistoryRow[]): Map<string, PastWeek> {
  return new Map(
    rows.map((n) => [
      n.week,
      { week: n.week, delivered: n.delivered, responded: n.outcome === 'answered' || n.outcome === 'skipped' },
    ]),
  );
}

async function tellPaused(deps: Deps, userId: string): Promise<void> {
  const message = autoPausedMessage();
  try {
    await deps.queue.run(
      () => deps.slack.chat.postMessage({ channel: userId, text: message.text, blocks: message.blocks }),
      'chat.postMessage',
    );
  } catch (err) {
    // Stryker disable next-line ObjectLiteral,StringLiteral: log wording and fields
    deps.logger.warn({ err, userId }, 'could not tell a member their prompts were paused');
  }
}
