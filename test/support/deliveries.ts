// A delivery set up by hand for the jobs/deliver.ts tests: UM00000's prompt claimed at Monday
// 09:05, maybe left `sending` by a run that died, maybe with the message that run posted.
import { WebClient } from '@slack/web-api';
import { claimPrompts } from '../../src/db/deliveries.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { BOT_TOKEN, type Harness } from './harness.ts';
import { TEAM } from './members.ts';

/** Monday 7 December 2026, 10:05 in Berlin (UTC+1): ISO week 2026-W50. */
export const MONDAY_0905 = new Date('2026-12-07T09:05:00Z');
/** `n` minutes after MONDAY_0905. */
export const minutes = (n: number) => new Date(MONDAY_0905.getTime() + n * 60_000);

/** UM00000's junior prompt for 2026-W50, claimed at 09:05 and not sent yet (UM00000 must be a member): its delivery id. */
export async function claimPrompt(h: Harness, promptText = 'Trace one request end to end.'): Promise<string> {
  await claimPrompts(
    h.deps.db,
    [
      {
        teamId: TEAM,
        userId: 'UM00000',
        week: '2026-W50',
        level: 'junior',
        competencyId: 'observability',
        promptId: 'x',
        promptText,
      },
    ],
    MONDAY_0905,
  );
  const { id } = await h.deps.db
    .selectFrom('deliveries')
    .select('id')
    .where('user_id', '=', 'UM00000')
    .executeTakeFirstOrThrow();
  return id;
}

/** Leaves a delivery `sending` after `attempts` tries, due again at 09:05: as a run that died mid-send leaves it. */
export async function leaveSending(h: Harness, id: string, attempts = 1): Promise<void> {
  await h.deps.db
    .updateTable('deliveries')
    .set({ status: 'sending', attempts, next_attempt_at: MONDAY_0905 })
    .where('id', '=', id)
    .execute();
}

/** A client on the fake Slack that is not the app's: what a dead run, or anyone else, posted. */
export const directClient = (h: Harness) => new WebClient(BOT_TOKEN, { slackApiUrl: h.fake.url });

/** The message a run posts for a delivery, in UM00000's DM (what a run that died may have posted). */
export const postPromptFor = (h: Harness, deliveryId: string, eventType: string = IDS.deliveryEvent) =>
  directClient(h).chat.postMessage({
    channel: 'UM00000',
    text: 'prompt',
    metadata: { event_type: eventType, event_payload: { delivery_id: deliveryId } },
  });
