import { connect } from 'node:net';
import pg from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import { runWeeklyPrompts } from '../../src/jobs/weekly-prompts.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { UNCONFIRMED } from '../../src/slack/guard.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { blockAction, selectValue, slashCommand, textValue, viewSubmission } from '../support/slack-requests.ts';

let h: Harness;
useHarness((x) => (h = x));

beforeEach(() => {
  h.logs.length = 0;
  h.setNow(new Date('2026-12-07T09:05:00Z')); // Monday 10:05 in Berlin
  for (const id of ['U0ALICE', 'U0MALLORY']) h.fake.addUser({ id, tz: 'Europe/Berlin', real_name: id });
});

const growth = async (user: string, text: string) => {
  const started = Date.now();
  const r = await h.send(slashCommand({ command: '/growth', text, user_id: user }));
  return { text: (r.json as { text: string }).text, ms: Date.now() - started };
};

describe('a /growth change that misses the deadline', () => {
  it('says it could not confirm it (never "nothing was changed"), and the change may still land', async () => {
    // Another session holds the members table: the join's write waits past the deadline.
    const locker = new pg.Client({ connectionString: h.database.url });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table members in exclusive mode');
      const r = await growth('U0ALICE', 'join junior');
      expect(r.ms).toBeLessThan(3_000);
      expect(r.text).toBe(UNCONFIRMED);
      await locker.query('commit');
    } finally {
      await locker.end();
    }
    await expect
      .poll(async () => (await h.deps.db.selectFrom('members').select('level').executeTakeFirst())?.level, {
        timeout: 5_000,
      })
      .toBe('junior');
    expect((await growth('U0ALICE', 'me')).text).toContain('Level: *junior*');
  });
});

/** Alice has a prompt and a check-in; Mallory, also a member, clicks and submits with Alice's ids. */
async function alicesThings() {
  await growth('U0ALICE', 'join junior');
  await growth('U0MALLORY', 'join junior');
  await runWeeklyPrompts(h.deps, h.deps.now());
  const nudge = await h.deps.db
    .selectFrom('nudges')
    .selectAll()
    .where('user_id', '=', 'U0ALICE')
    .executeTakeFirstOrThrow();
  await h.send(slashCommand({ command: '/checkin', text: 'wrote the disk alert runbook', user_id: 'U0ALICE' }));
  const checkin = await h.deps.db.selectFrom('checkins').selectAll().executeTakeFirstOrThrow();
  await h.fake.waitFor('chat.update'); // the check-in answered the prompt; its DM is redrawn after the reply
  h.fake.reset();
  return { nudge, checkin };
}

/** Waits until a guarded handler has finished (the HTTP reply leaves at its ack, before the rest). */
const handled = (name: string) =>
  expect.poll(() => h.logs.some((l) => l.msg === `${name} done`), { timeout: 5_000 }).toBe(true);

const outcome = async (id: string) =>
  (await h.deps.db.selectFrom('nudges').select('outcome').where('id', '=', id).executeTakeFirstOrThrow()).outcome;

describe('every action on a person\u2019s data checks that the one clicking owns it', () => {
  it('Skip: someone else\u2019s click leaves the prompt as it was', async () => {
    const { nudge } = await alicesThings();
    await h.deps.db.updateTable('nudges').set({ outcome: 'open' }).where('id', '=', nudge.id).execute();
    expect((await h.send(blockAction({ user: 'U0MALLORY', action_id: IDS.nudge.skip, value: nudge.id }))).status).toBe(
      200,
    );
    await handled('Skip button');
    expect(await outcome(nudge.id)).toBe('open');
    expect(h.fake.callsTo('chat.update')).toHaveLength(0);
  });

  it('Answer: someone else\u2019s click opens no form with the prompt', async () => {
    const { nudge } = await alicesThings();
    await h.send(blockAction({ user: 'U0MALLORY', action_id: IDS.nudge.answer, value: nudge.id }));
    const [told] = await h.fake.waitFor('chat.postMessage');
    expect(told!.args).toMatchObject({ channel: 'U0MALLORY', text: expect.stringContaining('no longer open') });
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
  });

  it('Edit: someone else\u2019s click opens no form with the check-in', async () => {
    const { checkin } = await alicesThings();
    await h.send(blockAction({ user: 'U0MALLORY', action_id: IDS.editCheckin, value: checkin.id }));
    await handled('Edit button');
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
    await h.send(blockAction({ user: 'U0ALICE', action_id: IDS.editCheckin, value: checkin.id }));
    const [opened] = await h.fake.waitFor('views.open');
    expect(JSON.stringify(opened!.args.view)).toContain('wrote the disk alert runbook');
  });

  it('Edit form: a submission naming someone else\u2019s check-in changes nothing', async () => {
    const { checkin } = await alicesThings();
    const c = IDS.checkin;
    const r = await h.send(
      viewSubmission({
        user: 'U0MALLORY',
        callback_id: IDS.checkinModal,
        private_metadata: JSON.stringify({ checkinId: checkin.id }),
        values: {
          [c.competencyBlock]: { [c.competencyAction]: selectValue(checkin.competency_id ?? 'observability') },
          [c.textBlock]: { [c.textAction]: textValue('defaced') },
        },
      }),
    );
    expect(r.json).toMatchObject({
      response_action: 'errors',
      errors: { [c.textBlock]: expect.stringContaining('can no longer be edited') },
    });
    expect((await h.deps.db.selectFrom('checkins').select('text').execute()).map((x) => x.text)).toEqual([
      'wrote the disk alert runbook',
    ]);
  });

  it('Reflection form: a submission naming someone else\u2019s incident records no reflection on it', async () => {
    await growth('U0ALICE', 'join junior');
    await growth('U0MALLORY', 'join junior');
    expect((await growth('U0ALICE', 'incident <https://status.example.com/incidents/7>')).text).toContain(
      'reflection prompt comes',
    );
    const participation = () =>
      h.deps.db
        .selectFrom('incident_participations')
        .select(['id', 'user_id', 'checkin_id', 'reflected_at', 'action_item'])
        .executeTakeFirstOrThrow();
    const alices = await participation();
    expect(alices).toMatchObject({ user_id: 'U0ALICE', reflected_at: null, checkin_id: null });
    const c = IDS.checkin;
    const r = await h.send(
      viewSubmission({
        user: 'U0MALLORY',
        callback_id: IDS.checkinModal,
        private_metadata: JSON.stringify({ incidentId: alices.id }),
        values: {
          [c.competencyBlock]: { [c.competencyAction]: selectValue('observability') },
          [c.textBlock]: { [c.textAction]: textValue('my words on your incident') },
          [IDS.incident.actionItemBlock]: { [IDS.incident.actionItemAction]: textValue('planted action item') },
        },
      }),
    );
    expect(r.status).toBe(200);
    // Mallory's own words are hers to keep; Alice's incident stays unreflected, with no action item.
    await expect
      .poll(async () => (await h.deps.db.selectFrom('checkins').select('user_id').execute()).map((x) => x.user_id), {
        timeout: 5_000,
      })
      .toEqual(['U0MALLORY']);
    expect(await participation()).toEqual(alices);
  });

  it('Delete: someone else\u2019s click deletes nothing', async () => {
    const { checkin } = await alicesThings();
    await h.send(blockAction({ user: 'U0MALLORY', action_id: IDS.deleteCheckin, value: checkin.id }));
    await handled('Delete button');
    const [told] = await h.fake.waitFor('chat.postMessage');
    expect(told!.args).toMatchObject({ channel: 'U0MALLORY', text: expect.stringContaining('could not be deleted') });
    expect(await h.deps.db.selectFrom('checkins').select('id').execute()).toHaveLength(1);
  });
});

describe('HTTP keep-alive behind a load balancer', () => {
  it('keeps an idle connection open past Node\u2019s default 5 s (balancers keep theirs 60 s)', async () => {
    const { port } = new URL(h.baseUrl);
    const socket = connect(Number(port), '127.0.0.1');
    let closedAt: number | null = null;
    socket.on('close', () => (closedAt = Date.now()));
    const answers: string[] = [];
    socket.on('data', (d) => answers.push(String(d)));
    // Any request will do: the public port answers 404 to anything but /slack/events.
    const get = () => socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
    get();
    await expect.poll(() => answers.join('').includes('HTTP/1.1 404'), { timeout: 3_000 }).toBe(true);
    await new Promise((r) => setTimeout(r, 6_500));
    expect(closedAt).toBeNull();
    get(); // the same connection still answers
    await expect.poll(() => answers.join('').split('HTTP/1.1 404').length - 1, { timeout: 3_000 }).toBe(2);
    socket.destroy();
  }, 15_000);
});
