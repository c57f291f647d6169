import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { ownParticipation, recordParticipation } from '../db/incidents.ts';
import { getMember, isJoined } from '../db/members.ts';
import type { Deps } from '../deps.ts';
import { checkinCompetencies } from '../growth/competencies.ts';
import { parseIncident, reflectionDue } from '../growth/incidents.ts';
import { formatLocalWhen } from '../growth/working-days.ts';
import { IDS } from '../outbound/ids.ts';
import { checkinModal } from '../outbound/views/checkin-modal.ts';
import { FOLLOW_UP_QUESTION, incidentName, REFLECTION_QUESTIONS } from '../outbound/views/incident.ts';
import { joinFirst } from '../outbound/views/messages.ts';
import type { Level, RubricCompetency } from '../rubrics/schema.ts';
import { type ButtonAnswer, type Guarded, guardAction, openView, reply } from './guard.ts';
import type { GrowthCommand } from './parse.ts';
import { type GrowthContext, joinedMember, type Reply } from './subcommand.ts';

/** `/growth incident <link or title>`: "I was in this one." */
export const incidentHandlers = {
  incident: async (ctx: GrowthContext, cmd: Extract<GrowthCommand, { kind: 'incident' }>): Promise<Reply> => {
    const ref = parseIncident(cmd.text);
    if (!ref.ok) return ref.problem;
    const m = await joinedMember(ctx);
    if (!m) return joinFirst();
    const now = ctx.deps.now();
    const saved = await recordParticipation(ctx.deps.db, {
      teamId: ctx.teamId,
      userId: ctx.userId,
      key: ref.key,
      source: 'command',
      link: ref.link,
      title: ref.title,
      at: now,
    });
    if (!saved) return joinFirst();
    const p = saved.row;
    const due = reflectionDue(p, m.tz);
    const when = `${formatLocalWhen(due, m.tz)} your time (${m.tz})`;
    if (!saved.created) {
      return p.reflectedAt
        ? 'You already reflected on that one. Thank you!'
        : `You told me about that one already; its reflection prompt comes ${when}.`;
    }
    return `Noted: you were in ${incidentName({ ...ref, channelId: null })}. A reflection prompt comes ${when}, two working days from now, while it is still fresh.`;
  },
};

const buttonInput = z.object({
  trigger_id: z.string().min(1),
  actions: z.array(z.object({ value: z.string().max(40).optional() })).min(1),
});

export function registerIncidentActions(app: App, deps: Deps): void {
  const button = (name: string, what: 'reflect' | 'follow-up') =>
    guardAction(deps, { name, input: buttonInput, run: (g) => openIncidentForm(g, what) });
  app.action<BlockButtonAction>(IDS.incident.reflect, button('reflect button', 'reflect'));
  app.action<BlockButtonAction>(IDS.incident.followUp, button('follow-up button', 'follow-up'));
}

/** The competency an incident check-in is filed under by default: the level's incident or on-call one. */
function incidentCompetency(competencies: RubricCompetency[]): string | undefined {
  return (competencies.find((c) => /incident/.test(c.id)) ?? competencies.find((c) => /oncall|on-call/.test(c.id)))?.id;
}

/** The reflection (or its follow-up) opens the check-in form: the link as evidence, or the title in the text. */
async function openIncidentForm(
  g: Guarded<z.infer<typeof buttonInput>>,
  what: 'reflect' | 'follow-up',
): Promise<ButtonAnswer> {
  const { deps } = g;
  const p = await g.db(ownParticipation(deps.db, g.input.actions[0]?.value ?? '', g.userId), 'reading an incident');
  const member = p ? await g.db(getMember(deps.db, p.teamId, p.userId), 'reading a member') : undefined;
  if (!p || !isJoined(member))
    return reply(
      'That incident is no longer here (it may have been deleted). Use `/checkin` to record anything you learnt.',
    );
  const competencies = checkinCompetencies(deps.rubrics, member.level as Level);
  const reflecting = what === 'reflect' && !p.reflectedAt;
  const about = p.title ? `Incident: ${p.title}\n\n` : '';
  return openView(
    checkinModal({
      competencies,
      competencyId: incidentCompetency(competencies),
      prompt: reflecting ? REFLECTION_QUESTIONS.map((q) => `• ${q}`).join('\n') : FOLLOW_UP_QUESTION,
      draft: about || undefined,
      initial: { rating: null, needsHelp: false, private: false, evidenceUrl: p.link },
      meta: reflecting ? { incidentId: p.id } : {},
      askActionItem: reflecting,
      title: reflecting ? 'Incident reflection' : 'Incident follow-up',
      promptHeading: reflecting ? 'Reflect on the incident' : 'A month on',
    }),
  );
}
