import type { App } from '@slack/bolt';
import { z } from 'zod';
import { getMember, isJoined, joinMember, setLevel } from '../db/members.ts';
import type { Member } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { formatLocalDate } from '../growth/pause.ts';
import { formatSlot } from '../growth/schedule.ts';
import { COMMANDS } from '../outbound/ids.ts';
import { lookupPerson } from '../outbound/users.ts';
import { badLevel, helpText, joinFirst, notUnderstood } from '../outbound/views/messages.ts';
import { mentorOf, nameMentor } from '../services/mentorships.ts';
import { type CommandAnswer, type Guarded, guardCommand, reply, UNCONFIRMED } from './guard.ts';
import { oncallLine } from './oncall-command.ts';
import { type GrowthCommand, parseGrowthCommand } from './parse.ts';
import { type GrowthContext, type Handlers, joinedMember, type Reply } from './subcommand.ts';

/** Subcommands that only read: when the database is slow they did nothing, and can say so. */
const READS = new Set<GrowthCommand['kind']>(['help', 'bad-level', 'me', 'summary', 'mentees', 'privacy']);
const READ_LATE = 'The database did not answer in time, so I cannot show that just now. Please try again in a minute.';

const commandInput = z.object({
  team_id: z.string().min(1),
  user_id: z.string().min(1),
  text: z.string().default(''),
  trigger_id: z.string().max(200).optional(),
});

export function registerGrowthCommand(app: App, deps: Deps, handlers: Handlers): void {
  app.command(
    COMMANDS.growth,
    guardCommand(deps, {
      name: '/growth',
      input: commandInput,
      // A change that missed the deadline may still land; a read did nothing, and says so.
      late: (args) => (READS.has(parseGrowthCommand(args.command.text ?? '').kind) ? READ_LATE : UNCONFIRMED),
      run: (g) => handleGrowthCommand(g, handlers),
    }),
  );
}

/** Parses the text and runs its handler against the deadline; the guard acks with the reply, then runs any `after`. */
async function handleGrowthCommand(
  g: Guarded<z.infer<typeof commandInput>>,
  handlers: Handlers,
): Promise<CommandAnswer> {
  const cmd = parseGrowthCommand(g.input.text);
  const ctx: GrowthContext = {
    deps: g.deps,
    slack: g.slack,
    teamId: g.teamId,
    userId: g.userId,
    triggerId: g.input.trigger_id,
  };
  // The table is keyed by kind, so this handler takes exactly this command.
  const handler = handlers[cmd.kind] as (ctx: GrowthContext, cmd: GrowthCommand) => Promise<Reply>;
  const r = await g.db(handler(ctx, cmd), `/growth ${cmd.kind}`);
  return typeof r === 'string' ? reply(r) : reply(r.text, { blocks: r.blocks, ...(r.after ? { after: r.after } : {}) });
}

function slotOf(m: Member): string {
  return formatSlot({ weekday: m.promptWeekday, minute: m.promptMinute });
}

/** The subcommands about membership itself. */
export const basicHandlers = {
  help: async (ctx, cmd) => {
    // How to pause is no use to someone who cannot pause yet: they hear how to join.
    if (cmd.membersOnly && !(await joinedMember(ctx))) return joinFirst();
    return cmd.problem ? notUnderstood(cmd.problem) : helpText();
  },
  'bad-level': async (_ctx, cmd) => badLevel(cmd.given, cmd.subcommand),

  join: async (ctx, cmd) => {
    const { deps } = ctx;
    const person = await lookupPerson(ctx.slack, ctx.userId, deps.logger);
    const before = await getMember(deps.db, ctx.teamId, ctx.userId);
    const m = await joinMember(
      deps.db,
      {
        teamId: ctx.teamId,
        userId: ctx.userId,
        level: cmd.level,
        displayName: person?.displayName ?? null,
        // Not read (Slack failed): the row keeps a zone read before, or UTC left unchecked.
        tz: person?.tz ?? null,
      },
      deps.now(),
    );
    const again = isJoined(before)
      ? `You were already in; your level is now *${cmd.level}*.`
      : `Welcome! You joined at *${cmd.level}* level.`;
    const tzNote = m.tzCheckedAt
      ? ''
      : ' (I could not read your timezone from Slack just now, so I will use UTC until I can.)';
    return `${again} Your weekly prompt arrives ${slotOf(m)} your time (${m.tz})${tzNote}. Try \`/checkin\` any time, and \`/growth mentor @someone\` to name your mentor.`;
  },

  level: async (ctx, cmd) => {
    const m = await joinedMember(ctx);
    if (!m) return joinFirst();
    if (m.level === cmd.level) return `You are already at *${cmd.level}* level.`;
    await setLevel(ctx.deps.db, ctx.teamId, ctx.userId, cmd.level, ctx.deps.now());
    return `Your level is now *${cmd.level}* (was ${m.level}). Your next prompts come from the ${cmd.level} rubric.`;
  },

  mentor: async (ctx, cmd) => {
    const { deps } = ctx;
    const r = await nameMentor(deps, deps.db, {
      teamId: ctx.teamId,
      menteeId: ctx.userId,
      mentorId: cmd.mentorId,
      lookup: (id) => lookupPerson(ctx.slack, id, deps.logger),
    });
    switch (r.kind) {
      case 'not-joined':
        return joinFirst();
      case 'self':
        return 'You cannot be your own mentor. Mention someone else: `/growth mentor @alex`.';
      case 'bot':
        return 'That is a bot; a mentor needs to be a person.';
      case 'deactivated':
        return 'That account is deactivated; choose someone who is still here.';
      case 'unchanged':
        return `<@${cmd.mentorId}> is already your mentor.`;
    }
    try {
      await ctx.slack.chat.postMessage({
        channel: cmd.mentorId,
        text: `<@${ctx.userId}> named you as their mentor in growthbot (${r.level} level). You will get a short digest each Friday afternoon about how they are doing. Nothing to do now.`,
      });
    } catch (err) {
      deps.logger.warn({ err, mentorId: cmd.mentorId }, 'could not tell the mentor');
    }
    const was = r.previousMentorId ? ` (instead of <@${r.previousMentorId}>)` : '';
    return `<@${cmd.mentorId}> is now your mentor${was}. I let them know.`;
  },

  me: async (ctx) => {
    const m = await joinedMember(ctx);
    if (!m) return joinFirst();
    const [mentorId, oncall] = await Promise.all([
      mentorOf(ctx.deps.db, ctx.teamId, ctx.userId),
      oncallLine(ctx, m.tz),
    ]);
    const paused =
      m.status === 'paused'
        ? `\n• Paused${m.pausedUntil ? ` until ${formatLocalDate(m.pausedUntil, m.tz)}` : ''} (\`/growth resume\` to restart)`
        : '';
    return (
      [
        `• Level: *${m.level}*`,
        `• Mentor: ${mentorId ? `<@${mentorId}>` : 'none yet (`/growth mentor @someone`)'}`,
        `• Timezone: ${m.tz}`,
        `• Weekly prompt: ${slotOf(m)} your time`,
        oncall,
      ].join('\n') + paused
    );
  },
} satisfies Partial<Handlers>;
