import { DM_BECOMES_CHECKIN, retentionSentence, WHO_SEES } from '../growth/privacy.ts';
import { mentorOf } from '../services/mentorships.ts';
import type { GrowthContext, Handlers } from './subcommand.ts';

const names = (ids: readonly string[]) => ids.map((id) => `<@${id}>`).join(', ');

/** `/growth privacy`: who sees what of yours, naming your mentor and the admins. */
export const privacyHandlers = {
  privacy: async (ctx: GrowthContext): Promise<string> => {
    const mentorId = await mentorOf(ctx.deps.db, ctx.teamId, ctx.userId);
    const admins = ctx.deps.config.adminUserIds;
    const mentor = mentorId ? `your mentor (<@${mentorId}>)` : 'your mentor (none named yet)';
    const adminNames = admins.length ? `the admins (${names(admins)})` : 'the admins (none set)';
    return [
      '*Who sees what you give growthbot*',
      `Columns: you · ${mentor} · ${adminNames} · whoever runs its database and backups.`,
      ...WHO_SEES.map(
        (r) =>
          `• *${r.what}*\n    you: ${r.person} · mentor: ${r.mentor} · admins: ${r.admins} · operators: ${r.operators}`,
      ),
      '',
      DM_BECOMES_CHECKIN,
      retentionSentence(ctx.deps.config.retentionDays),
    ].join('\n');
  },
} satisfies Partial<Handlers>;
