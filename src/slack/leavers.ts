import type { App } from '@slack/bolt';
import { z } from 'zod';
import { getMember, removeMember } from '../db/members.ts';
import type { Deps } from '../deps.ts';
import { guardEvent } from './guard.ts';

const userChange = z.object({
  team_id: z.string().optional(),
  event: z.object({
    user: z.object({ id: z.string().min(1), team_id: z.string().optional(), deleted: z.boolean().optional() }),
  }),
});

/**
 * A member Slack reports deactivated (`user_change` with `deleted: true`) has left: nothing more
 * is sent to them, and mentorships on both sides end. What they wrote follows RETENTION_DAYS, and
 * `/growth admin remove` or their own forget-me deletes it at once. (The timezone refresh finds
 * leavers too, through users.info, for a workspace that does not send this event.)
 */
export function registerLeavers(app: App, deps: Deps): void {
  app.event(
    'user_change',
    guardEvent(deps, {
      name: 'user_change',
      input: userChange,
      run: async (g) => {
        const { user } = g.input.event;
        if (!user.deleted) return;
        const teamId = g.teamId || user.team_id || '';
        const member = await getMember(deps.db, teamId, user.id);
        if (!member || member.status === 'left') return;
        await removeMember(deps.db, teamId, user.id, deps.now());
        deps.logger.info({ userId: user.id }, 'deactivated in Slack: left growthbot, nothing more is sent');
      },
    }),
  );
}
