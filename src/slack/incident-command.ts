import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { formatLocalWhen } from '../growth/working-days.ts';
import { IDS } from '../outbound/ids.ts';
import { checkinModal } from '../outbound/views/checkin-modal.ts';
import { FOLLOW_UP_QUESTION, incidentName, REFLECTION_QUESTIONS } from '../outbound/views/incident.ts';
import { joinFirst } from '../outbound/views/messages.ts';
import { incidentForm, tellIncident } from '../services/incidents.ts';
import { type ButtonAnswer, type Guarded, guardAction, openView, reply } from './guard.ts';
import type { GrowthCommand } from './parse.ts';
import type { GrowthContext, Reply } from './subcommand.ts';

/** `/growth incident <link or title>`: "I was in this one." */
export const incidentHandlers = {
  incident: async (ctx: GrowthContext, cmd: Extract<GrowthCommand, { kind: 'incident' }>): Promise<Reply> => {
    const r = await tellIncident(ctx.deps, ctx.deps.db, { teamId: ctx.teamId, userId: ctx.userId, text: cmd.text });
    if (r.kind === 'invalid') return r.problem;
    if (r.kind === 'not-joined') return joinFirst();
    const p = r.participation;
    const when = `${formatLocalWhen(r.due, r.tz)} your time (${r.tz})`;
    if (!r.created) {
      return p.reflectedAt
        ? 'You already reflected on that one. Thank you!'
        : `You told me about that one already; its reflection prompt comes ${when}.`;
    }
    return `Noted: you were in ${incidentName({ link: p.link, title: p.title, channelId: null })}. A reflection prompt comes ${when}, two working days from now, while it is still fresh.`;
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

/** The reflection (or its follow-up) opens the check-in form: the link as evidence, or the title in the text. */
async function openIncidentForm(
  g: Guarded<z.infer<typeof buttonInput>>,
  what: 'reflect' | 'follow-up',
): Promise<ButtonAnswer> {
  const f = await g.db(
    incidentForm(g.deps, g.deps.db, { userId: g.userId, participationId: g.input.actions[0]?.value ?? '', what }),
    'reading an incident',
  );
  if (f.kind === 'gone')
    return reply(
      'That incident is no longer here (it may have been deleted). Use `/checkin` to record anything you learnt.',
    );
  const { participation: p, reflecting } = f;
  const about = p.title ? `Incident: ${p.title}\n\n` : '';
  return openView(
    checkinModal({
      competencies: f.competencies,
      competencyId: f.competencyId,
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
