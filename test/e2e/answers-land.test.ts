import { beforeAll, describe, expect, it } from 'vitest';
import { CHECKIN_MAX_CHARS } from '../../src/growth/checkin.ts';
import { runReminders } from '../../src/jobs/reminders.ts';
import { runWeeklyPrompts } from '../../src/jobs/weekly-prompts.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import {
  blockAction,
  checkboxesValue,
  dmEdited,
  dmMessage,
  radioValue,
  selectValue,
  slashCommand,
  textValue,
  viewSubmission,
} from '../support/slack-requests.ts';

// What a person writes lands on the prompt they answered: the Answer button's form answers
// its own prompt whatever the day, a check-in made before the prompt counts for its week,
// and nothing written in the DM (a thread reply, a file, an edit) is silently dropped.

let h: Harness;
useHarness((x) => (h = x));
beforeAll(() => {
  h.fake.addUser({ id: 'U0ALICE', tz: 'Europe/Berlin', real_name: 'Alice' });
  h.fake.addUser({ id: 'U0BOB', tz: 'Europe/Berlin', real_name: 'Bob' });
});

const at = (iso: string) => h.setNow(new Date(iso));
const say = async (user: string, command: '/growth' | '/checkin', text: string) =>
  ((await h.send(slashCommand({ command, text, user_id: user }))).json as { text: string }).text;
const nudges = () => h.deps.db.selectFrom('nudges').selectAll().orderBy('week').execute();
const prompts = () => h.deps.db.selectFrom('deliveries').selectAll().where('kind', '=', 'prompt').orderBy('week');
const weeklyPrompts = () => runWeeklyPrompts(h.deps, h.deps.now());

async function alice(schedule?: string) {
  at('2026-11-30T12:00:00Z');
  await say('U0ALICE', '/growth', 'join junior');
  if (schedule) expect(await say('U0ALICE', '/growth', `schedule ${schedule}`)).toContain('10:00');
}

/** Alice presses Answer on a prompt and saves the form it opens. */
async function answerFromButton(nudgeId: string, text: string, viewId: string) {
  h.fake.reset();
  await h.send(blockAction({ user: 'U0ALICE', action_id: IDS.nudge.answer, value: nudgeId }));
  const [open] = await h.fake.waitFor('views.open');
  const view = open!.args.view as { private_metadata: string };
  expect(JSON.parse(view.private_metadata)).toMatchObject({ nudgeId });
  const c = IDS.checkin;
  const r = await h.send(
    viewSubmission({
      user: 'U0ALICE',
      callback_id: IDS.checkinModal,
      view_id: viewId,
      private_metadata: view.private_metadata,
      values: {
        [c.competencyBlock]: { [c.competencyAction]: selectValue('writing-clearly') },
        [c.textBlock]: { [c.textAction]: textValue(text) },
        [c.ratingBlock]: { [c.ratingAction]: radioValue(null) },
        [c.optionsBlock]: { [c.optionsAction]: checkboxesValue([]) },
      },
    }),
  );
  expect(r.text).toBe('');
}

describe('the Answer button answers its own prompt', () => {
  it('a member on a Sunday schedule who answers on Monday settles it, and is never auto-paused for it', async () => {
    await alice('sunday 10:00');
    const sundays = ['2026-12-13', '2026-12-20', '2026-12-27', '2027-01-03'];
    for (const [i, day] of sundays.entries()) {
      at(`${day}T09:05:00Z`); // Sunday 10:05 in Berlin
      await weeklyPrompts();
      const nudge = (await nudges())[i];
      expect(nudge, `the prompt of ${day}`).toBeDefined();
      // Monday morning: a new ISO week has begun.
      at(new Date(new Date(`${day}T08:00:00Z`).getTime() + 24 * 3600 * 1000).toISOString());
      await answerFromButton(nudge!.id, `Week ${i}: wrote the handover note for the disk alert`, `V0SUN${i}`);
    }
    const all = await nudges();
    expect(all.map((n) => n.outcome)).toEqual(['answered', 'answered', 'answered', 'answered']);
    const checkins = await h.deps.db.selectFrom('checkins').select('nudge_id').orderBy('id').execute();
    expect(checkins.map((c) => c.nudge_id)).toEqual(all.map((n) => n.id));
    const member = await h.deps.db.selectFrom('members').select('status').executeTakeFirstOrThrow();
    expect(member.status).toBe('active');
  });

  it('answering last week\u2019s prompt after this week\u2019s arrived settles last week\u2019s, and leaves this week\u2019s open', async () => {
    await alice();
    at('2026-12-07T09:05:00Z');
    await weeklyPrompts();
    at('2026-12-14T09:05:00Z');
    await weeklyPrompts();
    const [last, current] = await nudges();
    expect([last!.week, current!.week]).toEqual(['2026-W50', '2026-W51']);
    await answerFromButton(last!.id, 'Late, but here: I timed the restore of the staging database', 'V0LATE');
    const [lastAfter, currentAfter] = await nudges();
    expect(lastAfter!.outcome).toBe('answered');
    expect(currentAfter!.outcome).toBe('open');
    const c = await h.deps.db.selectFrom('checkins').select('nudge_id').executeTakeFirstOrThrow();
    expect(c.nudge_id).toBe(last!.id);
  });
});

describe('a prompt that is not theirs', () => {
  it('a form naming someone else\u2019s prompt answers their own week, never the other person\u2019s prompt', async () => {
    await alice();
    await say('U0BOB', '/growth', 'join junior');
    at('2026-12-07T09:05:00Z');
    await weeklyPrompts();
    const bobs = (await nudges()).find((n) => n.user_id === 'U0BOB')!;
    const alices = (await nudges()).find((n) => n.user_id === 'U0ALICE')!;
    const c = IDS.checkin;
    const r = await h.send(
      viewSubmission({
        user: 'U0ALICE',
        callback_id: IDS.checkinModal,
        view_id: 'V0FORGED',
        private_metadata: JSON.stringify({ nudgeId: bobs.id }),
        values: {
          [c.competencyBlock]: { [c.competencyAction]: selectValue('writing-clearly') },
          [c.textBlock]: { [c.textAction]: textValue('Wrote the on-call handover note') },
          [c.ratingBlock]: { [c.ratingAction]: radioValue(null) },
          [c.optionsBlock]: { [c.optionsAction]: checkboxesValue([]) },
        },
      }),
    );
    expect(r.text).toBe('');
    const after = await nudges();
    expect(after.find((n) => n.id === bobs.id)!.outcome).toBe('open');
    expect(after.find((n) => n.id === alices.id)!.outcome).toBe('answered');
    const stored = await h.deps.db.selectFrom('checkins').select(['user_id', 'nudge_id']).execute();
    expect(stored).toEqual([{ user_id: 'U0ALICE', nudge_id: alices.id }]);
  });
});

describe('a check-in made earlier in the week, before the prompt', () => {
  it('an on-call retro filed before the prompt is not its answer: the prompt goes out open', async () => {
    await alice();
    at('2026-12-07T07:00:00Z');
    const c = await h.deps.db
      .insertInto('checkins')
      .values({
        team_id: 'T0TEST',
        user_id: 'U0ALICE',
        text: 'On-call retro: 3 pages',
        source: 'modal',
        idempotency_key: 'retro-before',
        created_at: h.deps.now(),
        updated_at: h.deps.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await h.deps.db
      .insertInto('oncall_retros')
      .values({
        team_id: 'T0TEST',
        user_id: 'U0ALICE',
        shift_starts_at: new Date('2026-12-05T08:00:00Z'),
        shift_ends_at: new Date('2026-12-07T06:00:00Z'),
        checkin_id: c.id,
        pages: 3,
        actionable: 1,
        toil_hours: 0,
        handover: 'quiet',
        created_at: h.deps.now(),
      })
      .execute();
    at('2026-12-07T09:05:00Z');
    await weeklyPrompts();
    expect((await nudges())[0]!.outcome).toBe('open');
  });

  it('counts for that week: the prompt goes out already settled, and no reminder follows', async () => {
    await alice();
    at('2026-12-07T07:00:00Z'); // Monday 08:00 in Berlin, before the 10:00 prompt
    expect(
      await say('U0ALICE', '/checkin', 'Paired on the flaky deploy pipeline and wrote down why it fails'),
    ).toContain('Saved');
    at('2026-12-07T09:05:00Z');
    await weeklyPrompts();
    const [nudge] = await nudges();
    expect(nudge!.outcome).toBe('answered');
    const c = await h.deps.db.selectFrom('checkins').select('nudge_id').executeTakeFirstOrThrow();
    expect(c.nudge_id).toBe(nudge!.id);
    const sent = await prompts().executeTakeFirstOrThrow();
    expect(sent.status).toBe('sent');
    const dm = h.fake.callsTo('chat.postMessage').find((m) => m.args.channel === 'U0ALICE' && m.args.metadata)!;
    const text = JSON.stringify(dm.args);
    expect(text).toContain('Already answered');
    expect(text).not.toContain(IDS.nudge.answer);
    h.fake.reset();
    await runReminders(h.deps, new Date('2026-12-10T09:05:00Z')); // Thursday 10:05
    expect(h.fake.callsTo('chat.postMessage')).toEqual([]);
  });
});

describe('DM answers that used to be dropped', () => {
  async function prompted() {
    await alice();
    at('2026-12-07T09:05:00Z');
    await weeklyPrompts();
    const d = await prompts().executeTakeFirstOrThrow();
    return { channel: d.channel!, ts: d.message_ts!, nudgeId: d.nudge_id! };
  }
  function write(text: string, extra: Record<string, unknown> = {}) {
    const m = h.fake.workspace.post({ channel: 'D0ALICE', from: 'user', user: 'U0ALICE', text, ephemeral: false });
    return { ts: m.ts, req: dmMessage({ user: 'U0ALICE', text, ts: m.ts, ...extra }) };
  }
  const confirmed = (ts: string) => h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => c.args.thread_ts === ts);

  it('a reply in the thread of the prompt message answers that prompt', async () => {
    const prompt = await prompted();
    at('2026-12-16T09:00:00Z'); // Wednesday of the next week: its week rule would not match
    const { ts, req } = write('Reply in the thread: traced the slow query to a missing index', {
      thread_ts: prompt.ts,
    });
    expect((await h.send(req)).status).toBe(200);
    await confirmed(ts);
    const c = await h.deps.db.selectFrom('checkins').selectAll().executeTakeFirstOrThrow();
    expect(c).toMatchObject({ nudge_id: prompt.nudgeId, source: 'dm', message_ts: ts });
    expect((await nudges())[0]!.outcome).toBe('answered');
  });

  it('a file shared with a comment becomes a check-in: the comment its text, the file its evidence', async () => {
    await prompted();
    const permalink = 'https://test.slack.com/files/U0ALICE/F0DIAGRAM/failover.png';
    const { ts, req } = write('Drew the failover diagram for the payments database', {
      subtype: 'file_share',
      files: [{ id: 'F0DIAGRAM', name: 'failover.png', permalink }],
    });
    expect((await h.send(req)).status).toBe(200);
    await confirmed(ts);
    const c = await h.deps.db.selectFrom('checkins').selectAll().executeTakeFirstOrThrow();
    expect(c).toMatchObject({ text: 'Drew the failover diagram for the payments database', evidence_url: permalink });
  });

  it('a file shared with no words is answered, not dropped', async () => {
    await prompted();
    const { ts, req } = write('', {
      subtype: 'file_share',
      files: [{ id: 'F0X', permalink: 'https://x.slack.com/f' }],
    });
    expect((await h.send(req)).status).toBe(200);
    const [reply] = await confirmed(ts);
    expect(String(reply!.args.text)).toContain('add a line');
    expect(await h.deps.db.selectFrom('checkins').select('id').execute()).toEqual([]);
  });

  it('a message too long to keep, once edited down to size, is saved', async () => {
    await prompted();
    const long = `Long story. ${'x'.repeat(CHECKIN_MAX_CHARS)}`;
    const { ts, req } = write(long);
    expect((await h.send(req)).status).toBe(200);
    const [tooLong] = await confirmed(ts);
    expect(String(tooLong!.args.text)).toContain(`at most ${CHECKIN_MAX_CHARS}`);
    expect(await h.deps.db.selectFrom('checkins').select('id').execute()).toEqual([]);
    const short = 'Short version: the disk filled because log rotation was off on the batch hosts';
    expect((await h.send(dmEdited({ user: 'U0ALICE', ts, text: short, before: long }))).status).toBe(200);
    await h.fake.waitFor('chat.postMessage', 2, 5_000, (c) => c.args.thread_ts === ts);
    const c = await h.deps.db.selectFrom('checkins').selectAll().executeTakeFirstOrThrow();
    expect(c).toMatchObject({ text: short, message_ts: ts });
    expect((await nudges())[0]!.outcome).toBe('answered');
  });
});

describe('DM edits after a review found them', () => {
  async function prompted() {
    await alice();
    at('2026-12-07T09:05:00Z');
    await weeklyPrompts();
  }
  function write(text: string, extra: Record<string, unknown> = {}) {
    const m = h.fake.workspace.post({ channel: 'D0ALICE', from: 'user', user: 'U0ALICE', text, ephemeral: false });
    return { ts: m.ts, req: dmMessage({ user: 'U0ALICE', text, ts: m.ts, ...extra }) };
  }
  const inThread = (ts: string) => h.fake.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts);
  const long = `Long story. ${'x'.repeat(CHECKIN_MAX_CHARS)}`;
  const short = 'Short version: the disk filled because log rotation was off on the batch hosts';

  it('"Not a check-in" sticks: neither the same edit again nor editing back and forth brings it back', async () => {
    await prompted();
    const { ts, req } = write(long);
    await h.send(req);
    await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => c.args.thread_ts === ts);
    const edit = dmEdited({ user: 'U0ALICE', ts, text: short, before: long });
    await h.send(edit);
    await h.fake.waitFor('chat.postMessage', 2, 5_000, (c) => c.args.thread_ts === ts);
    const [c] = await h.deps.db.selectFrom('checkins').select('id').execute();
    expect(c).toBeDefined();
    await h.send(blockAction({ user: 'U0ALICE', action_id: IDS.dm.notCheckin, value: c!.id }));
    await expect.poll(async () => h.deps.db.selectFrom('checkins').select('id').execute()).toEqual([]);
    await h.send(edit); // Slack delivers the same edit again
    await h.send(dmEdited({ user: 'U0ALICE', ts, text: `${short} (typo)`, before: long }));
    await new Promise((r) => setTimeout(r, 300));
    expect(await h.deps.db.selectFrom('checkins').select('id').execute()).toEqual([]);
    expect((await nudges())[0]!.outcome).toBe('open');
  });

  it('an edit that leaves a too-long message as it was (a link preview) is not answered again', async () => {
    await prompted();
    const { ts, req } = write(long);
    await h.send(req);
    await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => c.args.thread_ts === ts);
    await h.send(dmEdited({ user: 'U0ALICE', ts, text: long, before: long }));
    await new Promise((r) => setTimeout(r, 300));
    expect(inThread(ts)).toHaveLength(1);
  });

  it('a reply in the thread of a prompt answered already answers this week\u2019s open one', async () => {
    await prompted();
    const first = await prompts().executeTakeFirstOrThrow();
    expect(await say('U0ALICE', '/checkin', 'Answered the first prompt straight away')).toContain('Saved');
    at('2026-12-14T09:05:00Z');
    await weeklyPrompts();
    const { ts, req } = write('Another thought in the old thread: wrote the alert runbook', {
      thread_ts: first.message_ts!,
    });
    await h.send(req);
    await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => c.args.thread_ts === ts);
    expect((await nudges()).map((n) => n.outcome)).toEqual(['answered', 'answered']);
  });

  it('a file shared with a too-long message keeps the file once the message is edited down', async () => {
    await prompted();
    const permalink = 'https://test.slack.com/files/U0ALICE/F0LOG/rotation.txt';
    const files = [{ id: 'F0LOG', permalink }];
    const { ts, req } = write(long, { subtype: 'file_share', files });
    await h.send(req);
    await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => c.args.thread_ts === ts);
    const edit = dmEdited({ user: 'U0ALICE', ts, text: short, before: long });
    const body = JSON.parse(edit.body) as { event: { message: Record<string, unknown> } };
    body.event.message.files = files;
    body.event.message.subtype = 'file_share';
    await h.send({ ...edit, body: JSON.stringify(body), payload: body });
    await h.fake.waitFor('chat.postMessage', 2, 5_000, (c) => c.args.thread_ts === ts);
    const c = await h.deps.db.selectFrom('checkins').selectAll().executeTakeFirstOrThrow();
    expect(c).toMatchObject({ text: short, evidence_url: permalink });
  });
});
