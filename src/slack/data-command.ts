import type { App, BlockButtonAction } from '@slack/bolt';
import { forgetPerson } from '../db/person-data.ts';
import type { Deps } from '../deps.ts';
import { IDS } from '../outbound/ids.ts';
import { namesInSlack } from '../outbound/users.ts';
import { plain } from '../outbound/views/plain-text.ts';
import { sendExport } from './export.ts';
import { type ButtonAnswer, type ButtonInput, buttonInput, type Guarded, guardAction, replace } from './guard.ts';
import { type GrowthContext, type Handlers, type Reply } from './subcommand.ts';

const FORGET_QUESTION =
  'This deletes everything growthbot stores about you: your membership, every check-in (including the ones just for you), your prompts, the replies and kudos between you and your mentor or mentees, your help requests, mentorships on both sides, your on-call feed and any schedule feed you added for the team (an admin can add it again), and your name where a feed kept it unmatched. Your mentor\u2019s digests will no longer mention you. It cannot be undone. Want a copy first? `/growth export`.';

/** `/growth export` and `/growth forget-me`: people own what they wrote. */
export const dataHandlers = {
  export: async (ctx: GrowthContext): Promise<Reply> => ({
    text: 'Preparing your export: two files will arrive in our DM in a moment.',
    after: () => sendExport(ctx.deps, ctx.slack, ctx.teamId, ctx.userId),
  }),

  'forget-me': async (): Promise<Reply> => ({
    text: FORGET_QUESTION,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: FORGET_QUESTION } },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            style: 'danger',
            text: plain('Delete everything'),
            action_id: IDS.forgetMe.confirm,
            value: 'forget',
          },
          { type: 'button', text: plain('Keep my data'), action_id: IDS.forgetMe.cancel, value: 'keep' },
        ],
      },
    ],
  }),
} satisfies Partial<Handlers>;

export function registerDataActions(app: App, deps: Deps): void {
  app.action<BlockButtonAction>(
    IDS.forgetMe.confirm,
    guardAction(deps, {
      name: 'forget-me button',
      input: buttonInput,
      failed:
        'Sorry, I could not delete your data just now; nothing was deleted. Please try `/growth forget-me` again in a minute.',
      run: handleForget,
    }),
  );
  app.action<BlockButtonAction>(
    IDS.forgetMe.cancel,
    guardAction(deps, {
      name: 'keep-my-data button',
      input: buttonInput,
      run: async () => replace('Nothing was deleted.'),
    }),
  );
}

/** Deletes everything about the person who clicked, in one transaction, and says so. */
async function handleForget(g: Guarded<ButtonInput>): Promise<ButtonAnswer> {
  const { deps, teamId, userId, slack } = g;
  const counts = await forgetPerson(deps.db, teamId, userId, {
    names: await namesInSlack(slack, userId, deps.logger),
    now: deps.now(),
  });
  deps.logger.info({ userId, deleted: counts }, 'forget-me: person deleted');
  const text =
    'Done: everything growthbot stored about you is deleted. If you ever come back, `/growth join <level>` starts afresh.';
  // Telling them is best effort: the outcome above stands whatever Slack answers.
  const tell = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      deps.logger.warn({ err, userId }, `forget-me: could not ${what}`);
    }
  };
  return replace(text, async () => {
    await tell('send the confirmation', () => slack.chat.postMessage({ channel: userId, text }));
    await tell('clear Home', () =>
      slack.views.publish({
        user_id: userId,
        view: {
          type: 'home',
          blocks: [
            {
              type: 'section',
              text: { type: 'mrkdwn', text: 'Nothing stored about you. `/growth join <level>` to start.' },
            },
          ],
        },
      }),
    );
  });
}
