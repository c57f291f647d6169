import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkinCompetencies } from '../../src/growth/competencies.ts';
import { runReminders } from '../../src/jobs/reminders.ts';
import { runWeeklyPrompts } from '../../src/jobs/weekly-prompts.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { type Harness, startHarness } from '../support/harness.ts';
import {
  blockAction,
  checkboxesValue,
  radioValue,
  selectValue,
  slashCommand,
  textValue,
  viewSubmission,
} from '../support/slack-requests.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.fake.addUser({ id: 'U0ALICE', tz: 'Europe/Berlin', real_name: 'Alice' });
});
afterAll(async () => h?.close());
beforeEach(async () => {
  await h.database.truncate();
  h.fake.reset();
  h.setNow(new Date('2026-12-07T09:05:00Z')); // Monday 10:05 in Berlin
});

const growth = async (text: string) =>
  ((await h.send(slashCommand({ command: '/growth', text, user_id: 'U0ALICE' }))).json as { text: string }).text;

async function promptDm() {
  await growth('join junior');
  await runWeeklyPrompts(h.deps, h.deps.now());
  const dm = h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0ALICE' && c.args.metadata)!;
  const nudge = await h.deps.db.selectFrom('nudges').selectAll().executeTakeFirstOrThrow();
  const ts = await h.deps.db.selectFrom('deliveries').select(['channel', 'message_ts']).executeTakeFirstOrThrow();
  return { dm, nudge, message: { ts: ts.message_ts!, channel: ts.channel! } };
}

describe('the prompt DM', () => {
  it('Answer opens the modal filled in; the submission is stored, linked, and the DM updated', async () => {
    const { nudge, message } = await promptDm();
    const click = await h.send(blockAction({ user: 'U0ALICE', action_id: IDS.nudge.answer, value: nudge.id, message }));
    expect(click.status).toBe(200);
    const [open] = await h.fake.waitFor('views.open');
    const view = open!.args.view as {
      private_metadata: string;
      blocks: { block_id?: string; text?: { text: string }; element?: { initial_option?: { value: string } } }[];
    };
    expect(view.blocks.find((b) => b.block_id === IDS.checkin.competencyBlock)!.element!.initial_option!.value).toBe(
      nudge.competency_id,
    );
    expect(view.blocks[0]!.text!.text).toContain(nudge.prompt_text.slice(0, 40));

    const c = IDS.checkin;
    const submit = await h.send(
      viewSubmission({
        user: 'U0ALICE',
        callback_id: IDS.checkinModal,
        private_metadata: view.private_metadata,
        values: {
          [c.competencyBlock]: { [c.competencyAction]: selectValue(nudge.competency_id) },
          [c.textBlock]: {
            [c.textAction]: textValue('Followed the runbook for the disk alert and wrote down two gaps'),
          },
          [c.ratingBlock]: { [c.ratingAction]: radioValue('2') },
          [c.optionsBlock]: { [c.optionsAction]: checkboxesValue([]) },
        },
      }),
    );
    expect(submit.status).toBe(200);
    const checkin = await h.deps.db.selectFrom('checkins').selectAll().executeTakeFirstOrThrow();
    expect(checkin).toMatchObject({
      nudge_id: nudge.id,
      competency_id: nudge.competency_id,
      rating: 2,
      source: 'modal',
    });
    expect((await h.deps.db.selectFrom('nudges').select('outcome').executeTakeFirstOrThrow()).outcome).toBe('answered');
    const [update] = await h.fake.waitFor('chat.update');
    expect(update!.args).toMatchObject({ channel: message.channel, ts: message.ts });
    expect(JSON.stringify(update!.args.blocks)).toContain('Answered');
    expect(JSON.stringify(update!.args.blocks)).not.toContain(IDS.nudge.skip);
  });

  it('Skip records the week as skipped, and a later skip cannot undo an answer', async () => {
    const { nudge, message } = await promptDm();
    await h.send(blockAction({ user: 'U0ALICE', action_id: IDS.nudge.skip, value: nudge.id, message }));
    await h.fake.waitFor('chat.update');
    expect((await h.deps.db.selectFrom('nudges').select('outcome').executeTakeFirstOrThrow()).outcome).toBe('skipped');
    // Someone else's click on the same button changes nothing.
    await h.send(blockAction({ user: 'U0MALLORY', action_id: IDS.nudge.skip, value: nudge.id, message }));
    // A quick check-in this week answers the prompt even after a skip.
    const reply = (
      (
        await h.send(
          slashCommand({ command: '/checkin', text: 'read the alert runbook end to end', user_id: 'U0ALICE' }),
        )
      ).json as { text: string }
    ).text;
    expect(reply).toContain("answer to this week's prompt");
    expect((await h.deps.db.selectFrom('nudges').select('outcome').executeTakeFirstOrThrow()).outcome).toBe('answered');
    const updates = (await h.fake.waitFor('chat.update', 2)).length;
    await h.send(blockAction({ user: 'U0ALICE', action_id: IDS.nudge.skip, value: nudge.id, message }));
    // The late click is handled (the DM is redrawn) but the answer stands.
    const redrawn = (await h.fake.waitFor('chat.update', updates + 1)).at(-1)!;
    expect(JSON.stringify(redrawn.args.blocks)).toContain('Answered');
    expect((await h.deps.db.selectFrom('nudges').select('outcome').executeTakeFirstOrThrow()).outcome).toBe('answered');
    expect((await h.deps.db.selectFrom('checkins').select('nudge_id').executeTakeFirstOrThrow()).nudge_id).toBe(
      nudge.id,
    );
  });

  it('a check-in from the /checkin form answers this week\u2019s prompt, whatever its competency, so no reminder follows', async () => {
    const { nudge } = await promptDm();
    const other = checkinCompetencies(h.deps.rubrics, 'junior').find((x) => x.id !== nudge.competency_id)!;
    const c = IDS.checkin;
    // Opened with `/checkin` (or from Home): no prompt in its metadata.
    const submit = await h.send(
      viewSubmission({
        user: 'U0ALICE',
        callback_id: IDS.checkinModal,
        values: {
          [c.competencyBlock]: { [c.competencyAction]: selectValue(other.id) },
          [c.textBlock]: { [c.textAction]: textValue('Paired on the flaky deploy and wrote up the fix') },
        },
      }),
    );
    expect(submit.status).toBe(200);
    expect((await h.deps.db.selectFrom('nudges').select('outcome').executeTakeFirstOrThrow()).outcome).toBe('answered');
    expect((await h.deps.db.selectFrom('checkins').select('nudge_id').executeTakeFirstOrThrow()).nudge_id).toBe(
      nudge.id,
    );
    // Thursday 10:05 in Berlin: the reminder's slot. Nothing to remind.
    expect((await runReminders(h.deps, new Date('2026-12-10T09:05:00Z'))).sent).toBe(0);
    expect(h.fake.callsTo('chat.postMessage').filter((m) => m.args.metadata)).toHaveLength(1); // the prompt only
  });

  it('a quick check-in filed under another competency answers this week\u2019s prompt too', async () => {
    const { nudge } = await promptDm();
    const other = checkinCompetencies(h.deps.rubrics, 'junior').find((x) => x.id !== nudge.competency_id)!;
    const reply = (
      (
        await h.send(
          slashCommand({ command: '/checkin', text: `${other.id}: shadowed the on-call handover`, user_id: 'U0ALICE' }),
        )
      ).json as { text: string }
    ).text;
    expect(reply).toContain("answer to this week's prompt");
    expect((await h.deps.db.selectFrom('nudges').select('outcome').executeTakeFirstOrThrow()).outcome).toBe('answered');
    expect(
      (await h.deps.db.selectFrom('checkins').select('competency_id').executeTakeFirstOrThrow()).competency_id,
    ).toBe(other.id);
  });

  it('Pause… opens a modal; choosing two weeks pauses prompts', async () => {
    const { nudge, message } = await promptDm();
    await h.send(blockAction({ user: 'U0ALICE', action_id: IDS.nudge.pause, value: nudge.id, message }));
    const [open] = await h.fake.waitFor('views.open');
    expect((open!.args.view as { callback_id: string }).callback_id).toBe(IDS.pauseModal);
    const p = IDS.pause;
    const none = await h.send(
      viewSubmission({
        user: 'U0ALICE',
        callback_id: IDS.pauseModal,
        values: { [p.weeksBlock]: { [p.weeksAction]: selectValue(null) } },
      }),
    );
    expect(none.json).toMatchObject({ response_action: 'errors' });
    await h.send(
      viewSubmission({
        user: 'U0ALICE',
        callback_id: IDS.pauseModal,
        values: { [p.weeksBlock]: { [p.weeksAction]: selectValue('2') } },
      }),
    );
    const m = await h.deps.db.selectFrom('members').selectAll().executeTakeFirstOrThrow();
    expect(m.status).toBe('paused');
    expect(m.paused_until).toEqual(new Date('2026-12-21T09:05:00Z'));
  });
});

describe('/growth schedule, pause and resume', () => {
  it('changes the slot, explains bad input, pauses and resumes', async () => {
    await growth('join mid');
    const bad = await growth('schedule funday 25:00');
    expect(bad).toContain('`funday` is not a weekday');
    expect(bad).toContain('`25:00` is not a time');
    expect(await growth('schedule tue 08:30')).toContain('Tuesday 08:30 your time (Europe/Berlin)');
    const m = await h.deps.db.selectFrom('members').selectAll().executeTakeFirstOrThrow();
    expect([m.prompt_weekday, m.prompt_minute]).toEqual([2, 510]);
    // Monday 10:05 is no longer due; Tuesday 08:30 Berlin (07:30Z) is.
    expect((await runWeeklyPrompts(h.deps, h.deps.now())).sent).toBe(0);
    expect((await runWeeklyPrompts(h.deps, new Date('2026-12-08T07:30:00Z'))).sent).toBe(1);

    expect(await growth('pause 13')).toContain('1 to 12 weeks');
    expect(await growth('pause 2027-01-10')).toContain('Sunday 10 January 2027');
    expect(await growth('me')).toContain('Paused until Sunday 10 January 2027');
    expect(await growth('resume')).toContain('Prompts are on again');
    expect(await growth('resume')).toContain('not paused');
  });
});
