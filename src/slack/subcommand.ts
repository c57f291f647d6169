// What every `/growth` subcommand module shares: its context, its reply, the exhaustive handler
// tables' types, and the joined-member check. Kept apart so the subcommand modules import it and
// not each other.
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { getMember, isJoined } from '../db/members.ts';
import type { Member } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import type { AdminAction, GrowthCommand } from './parse.ts';

/** What a subcommand needs: the caller, and the Slack client for calls of its own. */
export interface GrowthContext {
  deps: Deps;
  slack: WebClient;
  teamId: string;
  userId: string;
  /** The command's trigger, for a subcommand that opens a form (it lasts 3 s and works once). */
  triggerId?: string | undefined;
}

/** What a subcommand answers: a text, or a text with buttons and work to do after the ack. */
export type Reply = string | { text: string; blocks?: KnownBlock[]; after?: () => Promise<void> };
export type Of<K extends GrowthCommand['kind']> = Extract<GrowthCommand, { kind: K }>;
export type Handler<K extends GrowthCommand['kind']> = (ctx: GrowthContext, cmd: Of<K>) => Promise<Reply>;
/** One handler for every kind `parse.ts` can produce: a missing one fails to compile. */
export type Handlers = { [K in GrowthCommand['kind']]: Handler<K> };

type AdminHandler<K extends AdminAction['kind']> = (
  ctx: GrowthContext,
  a: Extract<AdminAction, { kind: K }>,
) => Promise<Reply>;
/** One handler per admin action `parse.ts` can produce: a missing one fails to compile. */
export type AdminHandlers = { [K in AdminAction['kind']]: AdminHandler<K> };

/** Reads the caller's member row; `null` means they have not joined. */
export async function joinedMember(
  ctx: GrowthContext,
): Promise<(Member & { level: NonNullable<Member['level']> }) | null> {
  const m = await getMember(ctx.deps.db, ctx.teamId, ctx.userId);
  return isJoined(m) ? m : null;
}
