// The demo workspace's first three weeks, made the way they would have happened: people join,
// the scheduler's own jobs send each week's prompt at a past instant of the sandbox clock, and
// the answers are stored with the app's own db functions (prompts answered and skipped,
// ratings, a help request, a private check-in), then the mentors' digest goes out and Marta
// replies to Jonas from it, gives kudos on his timeline and agrees with the focus he chose; they
// have a weekly 1:1 (Friday 11:00, her time) with two items on its agenda already.
import { DateTime } from 'luxon';
import { recordCheckin } from '../db/checkins.ts';
import { joinMember } from '../db/members.ts';
import { setMentor } from '../db/mentorships.ts';
import { getNudge, setNudgeOutcome } from '../db/nudges.ts';
import type { Deps } from '../deps.ts';
import { runTick } from '../jobs/scheduler.ts';
import { IDS } from '../outbound/ids.ts';
import { agreeValue } from '../outbound/views/focus.ts';
import { kudosMessage, replyMessage } from '../outbound/views/mentoring.ts';
import { agreeWithFocus, chooseFocus } from '../services/focus.ts';
import { addCheckinToAgenda, addToAgenda, setOneOnOneFor } from '../services/one-on-ones.ts';
import { giveKudos, replyPosted, saveReply } from '../services/replies.ts';
import { showSettled } from '../slack/nudge-actions.ts';
import { PEOPLE, TEAM_ID } from './people.ts';
import type { StoredMessage, Workspace } from './workspace.ts';

/** An answer is filed under the competency its text is about, as the form lets a person choose. */
type Answer =
  | { text: string; competency: string; rating: number; needs_help?: boolean; private?: boolean }
  | 'skip'
  | null;

/** Jonas's check-ins that Marta's kudos and their 1:1's agenda name. */
const TEXT = {
  timeline: 'Shadowed Marta on the Tuesday incident; wrote the timeline.',
  runbook: 'Read the paging runbook end to end and fixed two dead links.',
};

// Per week (oldest first), per person: what they did with that week's prompt.
const HISTORY: Record<string, Answer[]> = {
  U0JONAS: [
    { text: TEXT.runbook, competency: 'incident-response', rating: 3 },
    'skip',
    { text: TEXT.timeline, competency: 'incident-response', rating: 4 },
  ],
  U0PRIYA: [
    { text: 'Set up a Grafana panel for queue depth on the billing workers.', competency: 'observability', rating: 4 },
    {
      text: 'Tried to trace the 502s at the load balancer and got stuck on keep-alive timeouts.',
      competency: 'observability',
      rating: 2,
      needs_help: true,
    },
    null,
  ],
  U0DIEGO: [
    null,
    {
      text: 'Moved the cache cluster into Terraform; the plan showed two settings nobody knew about.',
      competency: 'infrastructure-as-code',
      rating: 4,
    },
    { text: 'Drafted an SLO for the search API with the product team.', competency: 'slo-thinking', rating: 4 },
  ],
  U0MARTA: [
    {
      text: 'Reviewed the capacity plan for Q1 and pushed back on the storage growth guess.',
      competency: 'capacity-and-cost',
      rating: 4,
    },
    {
      text: 'Feedback conversation with a peer on another team that I had been putting off.',
      competency: 'cross-team-influence',
      rating: 3,
      private: true,
    },
    'skip',
  ],
  U0LENA: [
    { text: 'Wrote the postmortem for the DNS outage and ran the review.', competency: 'writing-clearly', rating: 4 },
    'skip',
    null,
  ],
  U0KWAME: [
    {
      text: 'Sketched the multi-region failover proposal for the architecture review.',
      competency: 'vision-and-business',
      rating: 4,
    },
    null,
    null,
  ],
};

const answerValue = (m: StoredMessage | undefined): string | undefined => {
  for (const b of (m?.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[]) {
    const button = b.elements?.find((e) => e.action_id === IDS.nudge.answer);
    if (button?.value) return button.value;
  }
  return undefined;
};

/** Monday 10:00 (the default prompt time) in each demo zone, in the week of `monday` (UTC), in order. */
function mondayMornings(monday: DateTime): Date[] {
  const zones = [...new Set(PEOPLE.filter((p) => p.level).map((p) => p.tz))];
  const local = (tz: string) => monday.setZone(tz, { keepLocalTime: true }).set({ hour: 10 }).toMillis();
  return [...new Set(zones.map(local))].sort((a, b) => a - b).map((ms) => new Date(ms));
}

export async function seedDemo(deps: Deps, ws: Workspace, setNow: (at: Date) => void, start: Date): Promise<void> {
  const weeks = [3, 2, 1].map((k) => DateTime.fromJSDate(start, { zone: 'UTC' }).minus({ weeks: k }));
  const joinedAt = weeks[0]!.toJSDate();
  /** The seeded check-ins' ids by their text. */
  const saved = new Map<string, string>();
  for (const p of PEOPLE.filter((x) => x.level)) {
    await joinMember(
      deps.db,
      { teamId: TEAM_ID, userId: p.id, displayName: p.name, tz: p.tz, level: p.level! },
      joinedAt,
    );
  }
  for (const p of PEOPLE.filter((x) => x.mentor)) await setMentor(deps.db, TEAM_ID, p.id, p.mentor!, joinedAt);

  for (const [i, monday] of weeks.entries()) {
    // The scheduler ticks at each zone's Monday 10:00, so every prompt goes out at its person's 10:00.
    for (const sent of mondayMornings(monday)) {
      setNow(sent);
      await runTick(deps, ['weekly-prompts'], sent);
    }
    const answeredAt = monday.plus({ days: 2, hours: 14 }).toJSDate();
    for (const [userId, answers] of Object.entries(HISTORY)) {
      const a = answers[i];
      const nudgeId = answerValue(
        ws.conversations
          .get(`D${userId.slice(1)}`)
          ?.filter((m) => m.from === 'bot')
          .at(-1),
      );
      const nudge = nudgeId ? await getNudge(deps.db, nudgeId) : undefined;
      if (!a || !nudge) continue;
      if (a !== 'skip') {
        const { checkin } = await recordCheckin(deps.db, {
          team_id: TEAM_ID,
          user_id: userId,
          competency_id: a.competency,
          competency_name: null,
          text: a.text,
          rating: a.rating,
          needs_help: a.needs_help ?? false,
          private: a.private ?? false,
          source: 'modal',
          nudge_id: nudge.id,
          evidence_url: null,
          idempotency_key: `sandbox-seed:${nudge.id}`,
          created_at: answeredAt,
          updated_at: answeredAt,
        });
        saved.set(a.text, checkin.id);
      }
      const settled = await setNudgeOutcome(
        deps.db,
        nudge.id,
        userId,
        a === 'skip' ? 'skipped' : 'answered',
        answeredAt,
      );
      // As after a click: the DM shows the outcome and no buttons left to press.
      if (settled) await showSettled(deps, deps.slack, settled);
    }
  }
  // Last week's Friday digest (15:00 in Los Angeles is 23:00 UTC: every zone's Friday 15:00 has passed).
  const friday = weeks[2]!.plus({ days: 4, hours: 23, minutes: 30 }).toJSDate();
  setNow(friday);
  await runTick(deps, ['digests'], friday);
  // Marta answers Jonas from her digest, as its Reply button would: he has it in his DM, with Reply back.
  const reply = await saveReply(deps, deps.db, {
    teamId: TEAM_ID,
    userId: 'U0MARTA',
    to: { menteeId: 'U0JONAS' },
    text: 'Your incident timeline was clear and calm. Next time, try leading the first ten minutes yourself.',
    formId: 'sandbox-seed-reply',
  });
  if (reply.kind === 'saved' && reply.created) {
    const m = replyMessage({ id: reply.reply.id, fromId: 'U0MARTA', text: reply.reply.text });
    const sent = await deps.slack.chat.postMessage({ channel: reply.recipientId, text: m.text, blocks: m.blocks });
    if (sent.channel && sent.ts) await replyPosted(deps.db, reply.reply.id, { channel: sent.channel, ts: sent.ts });
  }
  // Just before the demo starts, in its quarter: the rest of what a mentor does from Slack.
  setNow(new Date(start.getTime() - 60_000));
  await seedMentoring(deps, saved);
  setNow(start);
}

/**
 * Marta's kudos on Jonas's timeline (he has it in his DM), the focus Jonas chose for the quarter
 * and she agreed, and their weekly 1:1 on Friday at 11:00 her time with an item from each: what
 * Home shows both of them, and what the agenda DM will carry the day before.
 */
async function seedMentoring(deps: Deps, saved: ReadonlyMap<string, string>): Promise<void> {
  const team = { teamId: TEAM_ID };
  const timeline = saved.get(TEXT.timeline);
  if (timeline) {
    const k = await giveKudos(deps, deps.db, { ...team, userId: 'U0MARTA', checkinId: timeline });
    if (k.kind === 'given') {
      const m = kudosMessage({ mentorId: 'U0MARTA', text: k.text, at: k.at });
      await deps.slack.chat.postMessage({ channel: k.menteeId, text: m.text, blocks: m.blocks });
    }
  }
  const focus = await chooseFocus(deps, deps.db, {
    ...team,
    userId: 'U0JONAS',
    competencyIds: ['incident-response', 'writing-clearly'],
  });
  if (focus.kind === 'saved')
    await agreeWithFocus(deps, deps.db, { ...team, mentorId: 'U0MARTA', focus: agreeValue(focus.focus) });
  const pair = { ...team, userId: 'U0JONAS', withId: 'U0MARTA' };
  await setOneOnOneFor(deps, deps.db, { ...pair, weekday: 5, minute: 11 * 60, everyWeeks: 1 });
  await addToAgenda(deps, deps.db, {
    ...team,
    userId: 'U0MARTA',
    withId: 'U0JONAS',
    text: 'Plan how you lead the first ten minutes of the next incident.',
  });
  const runbook = saved.get(TEXT.runbook);
  if (runbook) await addCheckinToAgenda(deps, deps.db, { ...team, userId: 'U0JONAS', checkinId: runbook });
}
