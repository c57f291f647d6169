import { claimDeliveries, claimKey, existingClaims } from '../db/deliveries.ts';
import { focusWithStats } from '../db/focus.ts';
import { reflectionsSince } from '../db/incidents.ts';
import { currentMentees, mentorsToDigest } from '../db/mentees.ts';
import { latestSharedCheckins, progressRows } from '../db/progress.ts';
import { recentRetros } from '../db/retros.ts';
import { shiftsOverlapping } from '../db/shifts.ts';
import type { Deps } from '../deps.ts';
import { competencyNamer } from '../growth/competencies.ts';
import { WEEK_MS } from '../growth/durations.ts';
import { quarterOf } from '../growth/focus.ts';
import { groupBy } from '../growth/group-by.ts';
import { memberKey } from '../growth/member-key.ts';
import { menteeOncall } from '../growth/oncall.ts';
import { progressByMember } from '../growth/progress.ts';
import { DEFAULT_SLOTS, type Weekday } from '../growth/schedule.ts';
import { type DigestMentee, digestMessage } from '../outbound/views/digest.ts';
import { focusLines } from '../outbound/views/focus.ts';
import { incidentName } from '../outbound/views/incident.ts';
import type { SlackMessage } from '../outbound/views/prompt-message.ts';
import { mentorAid } from '../rubrics/extras.ts';
import { type DeliverStats, deliverDue } from './deliver.ts';
import { breathe, cutoffs, dueAt } from './due.ts';

export interface DigestsReport extends DeliverStats {
  mentors: number;
  claimed: number;
  tooLate: number;
}

/** Friday 15:00 in the mentor's timezone; late digests go out until Sunday night. */
const SLOT = DEFAULT_SLOTS.digest;
const CUTOFF: Weekday = 7;

/**
 * One digest a week per mentor with at least one active mentee, claimed once like prompts.
 * Everything a batch of digests shows comes from a few aggregate queries for the batch.
 */
export async function runDigests(deps: Deps, now: Date): Promise<DigestsReport> {
  const { db } = deps;
  const mentors = await mentorsToDigest(db);
  const due: { teamId: string; userId: string; week: string }[] = [];
  const late: typeof due = [];
  const dueOf = dueAt(now);
  const cutoffOf = cutoffs();
  for (const m of mentors) {
    const d = dueOf(m.tz, SLOT, CUTOFF);
    if (d.state === 'due') due.push({ teamId: m.teamId, userId: m.userId, week: d.week });
    else if (d.state === 'too-late') late.push({ teamId: m.teamId, userId: m.userId, week: d.week });
  }
  const existing = await existingClaims(
    db,
    'digest',
    [...due, ...late].map((m) => m.week),
  );
  const fresh = (list: typeof due) => list.filter((m) => !existing.has(claimKey(m.teamId, m.userId, m.week)));
  const claimed = await claimDeliveries(db, 'digest', fresh(due), now);
  const tooLate = await claimDeliveries(db, 'digest', fresh(late), now, 'missed');

  let messages = new Map<string, SlackMessage | null>();
  const nameOf = competencyNamer(deps.rubrics);
  const stats = await deliverDue(
    deps,
    deps.queue,
    {
      kind: 'digest',
      cutoff: (row) => cutoffOf(row.week, CUTOFF, row.tz),
      prepare: async (rows) => {
        messages = await digestsFor(
          deps,
          rows.map((r) => ({ teamId: r.teamId, mentorId: r.userId })),
          now,
          nameOf,
        );
      },
      render: (row) => messages.get(memberKey(row.teamId, row.userId)) ?? null,
    },
    now,
  );
  const report = { mentors: mentors.length, claimed, tooLate, ...stats };
  deps.logger.info({ job: 'digests', ...report }, 'digests run');
  return report;
}

/** Builds the digests of a batch of mentors: four progress queries and six more, whatever the batch. */
export async function digestsFor(
  deps: Deps,
  mentors: readonly { teamId: string; mentorId: string }[],
  now: Date,
  nameOf: (id: string | null) => string,
): Promise<Map<string, SlackMessage | null>> {
  const wanted = new Set(mentors.map((m) => memberKey(m.teamId, m.mentorId)));
  const mentees = (await currentMentees(deps.db, null, [...new Set(mentors.map((m) => m.mentorId))])).filter((m) =>
    wanted.has(memberKey(m.teamId, m.mentorId)),
  );
  const weekAgo = new Date(now.getTime() - WEEK_MS);
  // A fixed number of queries whatever the number of mentees: each is one statement for the batch.
  const [rows, latest, reflections, retros, shifts, focus] = await Promise.all([
    progressRows(deps.db, mentees, now, 'others'),
    latestSharedCheckins(deps.db, mentees, weekAgo),
    reflectionsSince(deps.db, mentees, weekAgo),
    recentRetros(deps.db, mentees, 4),
    mentees.length ? shiftsOverlapping(deps.db, { from: weekAgo, to: now }) : Promise.resolve([]),
    focusWithStats(
      deps.db,
      mentees.map((m) => ({ teamId: m.teamId, userId: m.userId, ...quarterOf(now, m.tz) })),
      'others',
    ),
  ]);
  const progress = progressByMember(deps.rubrics, mentees, rows, now);
  const reflectionsBy = groupBy(reflections, (r) => memberKey(r.teamId, r.userId));
  const retrosBy = groupBy(retros, (r) => memberKey(r.teamId, r.userId));
  const shiftsBy = groupBy(shifts, (s) => memberKey(s.teamId, s.userId));
  const byMentor = groupBy(mentees, (m) => memberKey(m.teamId, m.mentorId));
  const out = new Map<string, SlackMessage | null>();
  for (const [i, { teamId, mentorId }] of mentors.entries()) {
    if (i % 50 === 49) await breathe();
    const list = byMentor.get(memberKey(teamId, mentorId)) ?? [];
    if (!list.some((m) => m.status === 'active')) {
      out.set(memberKey(teamId, mentorId), null);
      continue;
    }
    const rows: DigestMentee[] = list.map((m) => {
      const k = memberKey(m.teamId, m.userId);
      const l = latest.get(k);
      return {
        userId: m.userId,
        level: m.level,
        paused: m.status === 'paused',
        progress: progress.get(k)!,
        latest: l
          ? {
              id: l.id,
              text: l.text,
              competencyName: l.competencyId ? nameOf(l.competencyId) : null,
              at: l.createdAt,
            }
          : null,
        tz: m.tz,
        focus: focusLines(focus.get(k), nameOf),
        // Per 1:1 topic: the question to ask and how to judge the answer (what good looks like stays in summaries).
        help: (id, promptId) => ({ ...mentorAid(deps.rubrics, id, m.level, promptId), good: undefined }),
        reflections: (reflectionsBy.get(k) ?? []).map((r) => ({ name: incidentName(r), text: r.text })),
        oncall: menteeOncall(shiftsBy.get(k) ?? [], retrosBy.get(k) ?? []),
      };
    });
    out.set(memberKey(teamId, mentorId), digestMessage(rows, nameOf, undefined, now));
  }
  return out;
}
