import type { WebClient } from '@slack/web-api';
import type { Db } from '../db/create-db.ts';
import { pauseSends, reserveSendSlot } from '../db/send-pace.ts';
import type { SharedPace } from './send-queue.ts';

/**
 * The send pace of the bot token's workspace, kept in the database (`send_pace`, one row per
 * team) so that every instance on it takes its send slots and 429 pauses from the same row.
 * The team comes from `auth.test`, asked once (again after a failure).
 */
export function databasePace(db: Db, slack: WebClient): SharedPace {
  let team: Promise<string> | undefined;
  const teamId = () =>
    (team ??= slack.auth.test().then(
      (r) => r.team_id ?? '',
      (err: unknown) => {
        team = undefined;
        throw err;
      },
    ));
  return {
    reserve: async (intervalMs) => reserveSendSlot(db, await teamId(), intervalMs),
    pause: async (ms) => pauseSends(db, await teamId(), ms),
  };
}
