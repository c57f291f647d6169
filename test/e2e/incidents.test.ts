import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runIncidents } from '../../src/jobs/incidents.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { buildExport } from '../../src/slack/export.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import {
  blockAction,
  checkboxesValue,
  eventCallback,
  radioValue,
  selectValue,
  slashCommand,
  textValue,
  viewSubmission,
} from '../support/slack-requests.ts';

let h: Harness;
useHarness((x) => (h = x), { INCIDENT_CHANNEL_PATTERN: '^inc-' });
beforeAll(() => {
  h.fake.addUser({ id: 'U0ANA', tz: 'Europe/Berlin', real_name: 'Ana' });
  h.fake.addUser({ id: 'U0BEN', tz: 'America/New_York', real_name: 'Ben' });
});
beforeEach(() => {
  h.fake.addChannel({ id: 'C0INCDB', name: 'inc-2026-12-db' });
  h.fake.addChannel({ id: 'C0GENERAL', name: 'general' });
});

const at = (iso: string) => h.setNow(new Date(iso));
const growth = async (user: string, text: string) =>
  ((await h.send(slashCommand({ command: '/growth', text, user_id: user }))).json as { text: string }).text;
const reflections = (user?: string) =>
  h.fake
    .callsTo('chat.postMessage')
    .filter(
      (c) =>
        c.args.metadata &&
        JSON.stringify(c.args.blocks).includes(IDS.incident.reflect) &&
        (!user || c.args.channel === user),
    );
const followUps = () =>
  h.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.metadata && JSON.stringify(c.args.blocks).includes(IDS.incident.followUp));
const participations = () => h.deps.db.selectFrom('incident_participations').selectAll().orderBy('id').execute();
const joined = (user: string, channel: string) =>
  eventCallback({ type: 'member_joined_channel', user, channel, channel_type: 'C', team: 'T0TEST', event_ts: '1.1' });

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('/growth incident', () => {
  it('confirms when the reflection comes, sends it once two working days later at 10:00 local, and a follow-up 30 days after an action item', async () => {
    at('2026-12-03T13:00:00Z'); // Thursday 14:00 in Berlin
    await growth('U0ANA', 'join mid');
    const reply = await growth('U0ANA', 'incident <https://status.example.com/incidents/42>');
    expect(reply).toContain('Monday 7 December at 10:00 your time (Europe/Berlin)');
    expect(await growth('U0ANA', 'incident https://status.example.com/incidents/42/')).toContain(
      'told me about that one already',
    );
    expect(await participations()).toHaveLength(1);

    await runIncidents(h.deps, new Date('2026-12-07T08:59:00Z')); // Monday 09:59 in Berlin
    expect(reflections()).toHaveLength(0);
    const [a, b] = await Promise.all([
      runIncidents(h.deps, new Date('2026-12-07T09:00:00Z')),
      runIncidents({ ...h.deps }, new Date('2026-12-07T09:00:00Z')),
    ]);
    expect(a.reflections.claimed + b.reflections.claimed).toBe(1);
    await runIncidents(h.deps, new Date('2026-12-07T10:00:00Z'));
    expect(reflections('U0ANA')).toHaveLength(1);
    const p = (await participations())[0]!;

    // Reflect: the check-in form, with the link as evidence and a field for the action item.
    at('2026-12-07T10:00:00Z');
    await h.send(blockAction({ user: 'U0ANA', action_id: IDS.incident.reflect, value: p.id }));
    const [open] = await h.fake.waitFor('views.open');
    const view = open!.args.view as { private_metadata: string; title: { text: string } };
    expect(view.title.text).toBe('Incident reflection');
    const shown = JSON.stringify(view);
    expect(shown).toContain('https://status.example.com/incidents/42');
    expect(shown).toContain(IDS.incident.actionItemBlock);
    expect(shown).toContain('What did you believe at each decision point');
    // A reflection, not the week's prompt.
    expect(shown).toContain('*Reflect on the incident*');
    expect(shown).not.toContain("This week's prompt");
    const c = IDS.checkin;
    const submit = await h.send(
      viewSubmission({
        user: 'U0ANA',
        callback_id: IDS.checkinModal,
        private_metadata: view.private_metadata,
        values: {
          [c.competencyBlock]: { [c.competencyAction]: selectValue('production-debugging') },
          [c.textBlock]: {
            [c.textAction]: textValue('I believed the replica lag was the cause; it was the connection pool.'),
          },
          [c.ratingBlock]: { [c.ratingAction]: radioValue(null) },
          [c.optionsBlock]: { [c.optionsAction]: checkboxesValue([]) },
          [c.evidenceBlock]: {
            [c.evidenceAction]: { type: 'url_text_input', value: 'https://status.example.com/incidents/42' },
          },
          [IDS.incident.actionItemBlock]: { [IDS.incident.actionItemAction]: textValue('Alert on pool saturation') },
        },
      }),
    );
    expect(submit.status).toBe(200);
    const reflected = (await participations())[0]!;
    expect(reflected).toMatchObject({ action_item: 'Alert on pool saturation' });
    // Its Reflect button settles: the DM is updated in place, with no button left to press.
    const dm = await h.deps.db.selectFrom('deliveries').select('message_ts').where('kind', '=', 'reflection').execute();
    const dmTs = dm[0]!.message_ts;
    expect(dmTs).toBeTruthy();
    const [settled] = await h.fake.waitFor('chat.update', 1, 5_000, (u) => u.args.ts === dmTs);
    expect(JSON.stringify(settled!.args.blocks)).not.toContain(IDS.incident.reflect);
    expect(JSON.stringify(settled!.args.blocks)).toContain('Reflected');
    const checkin = await h.deps.db
      .selectFrom('checkins')
      .selectAll()
      .where('id', '=', reflected.checkin_id!)
      .executeTakeFirstOrThrow();
    expect(checkin.evidence_url).toBe('https://status.example.com/incidents/42');

    await runIncidents(h.deps, new Date('2027-01-06T09:00:00Z')); // 30 days minus a few minutes
    expect(followUps()).toHaveLength(0);
    await runIncidents(h.deps, new Date('2027-01-06T10:01:00Z'));
    await runIncidents(h.deps, new Date('2027-01-06T11:00:00Z'));
    expect(followUps()).toHaveLength(1);
    expect(JSON.stringify(followUps()[0]!.args.blocks)).toContain('Did it ship, and did the failure come back?');
    expect(reflections()).toHaveLength(1);

    // Export and forget-me include incidents.
    const exported = JSON.parse((await buildExport(h.deps, 'T0TEST', 'U0ANA')).json) as { incidents: unknown[] };
    expect(exported.incidents).toHaveLength(1);
  });

  it('escapes a title, and takes the same title however spaced or capitalised as one incident', async () => {
    at('2026-12-01T09:00:00Z'); // Tuesday
    await growth('U0ANA', 'join junior');
    // Typed `Checkout <down> & out`, as Slack sends it (a raw `<…>` is Slack's own markup, never typed).
    expect(await growth('U0ANA', 'incident Checkout &lt;down&gt; &amp; out')).toContain(
      '*Checkout &lt;down&gt; &amp; out*',
    );
    expect(await growth('U0ANA', 'incident checkout   &lt;DOWN&gt; &amp; out')).toContain('already');
    await runIncidents(h.deps, new Date('2026-12-03T09:00:00Z'));
    expect(reflections()).toHaveLength(1);
    expect(JSON.stringify(reflections()[0]!.args.blocks)).toContain('Checkout &lt;down&gt; &amp; out');
  });

  it('holds a paused member\u2019s reflection and sends it after the pause; past two weeks it is skipped', async () => {
    at('2026-12-01T09:00:00Z');
    await growth('U0ANA', 'join junior');
    await growth('U0BEN', 'join junior');
    await growth('U0ANA', 'incident Queue backlog');
    await growth('U0BEN', 'incident Queue backlog');
    await growth('U0ANA', 'pause 1');
    await growth('U0BEN', 'pause 4');
    const held = await runIncidents(h.deps, new Date('2026-12-04T12:00:00Z'));
    expect(held.reflections).toMatchObject({ held: 2, claimed: 0, sent: 0 });
    // Ana's pause ends on 8 December: her reflection is still worth sending.
    at('2026-12-08T10:00:00Z');
    await growth('U0ANA', 'resume');
    await runIncidents(h.deps, new Date('2026-12-08T10:00:00Z'));
    expect(reflections().map((c) => c.args.channel)).toEqual(['U0ANA']);
    // Ben's ends on 29 December, three weeks after his reflection was due: recorded as skipped.
    at('2026-12-29T10:00:00Z');
    await growth('U0BEN', 'resume');
    const late = await runIncidents(h.deps, new Date('2026-12-29T16:00:00Z'));
    expect(late.reflections).toMatchObject({ stale: 1, sent: 0 });
    expect(reflections().map((c) => c.args.channel)).toEqual(['U0ANA']);
  });
});

describe('incident channels', () => {
  it('member_joined_channel on inc-2026-12-db gives one reflection two working days later; a second join or a retried event gives none more', async () => {
    at('2026-12-01T09:00:00Z'); // Tuesday 10:00 in Berlin
    await growth('U0ANA', 'join mid');
    const event = joined('U0ANA', 'C0INCDB');
    expect((await h.send(event)).status).toBe(200);
    await h.send(event); // Slack retrying the same event
    await h.send(joined('U0ANA', 'C0INCDB')); // leaving and joining again
    await h.fake.waitFor('conversations.info', 3);
    const rows = await until(participations, (r) => r.length > 0);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: 'channel', channel_id: 'C0INCDB', title: '#inc-2026-12-db' });

    await runIncidents(h.deps, new Date('2026-12-03T08:59:00Z'));
    expect(reflections()).toHaveLength(0);
    await runIncidents(h.deps, new Date('2026-12-03T09:00:00Z')); // Thursday 10:00 in Berlin
    await runIncidents(h.deps, new Date('2026-12-03T12:00:00Z'));
    expect(reflections('U0ANA')).toHaveLength(1);
    expect(JSON.stringify(reflections()[0]!.args.blocks)).toContain('<#C0INCDB>');
  });

  it('a non-matching channel, the bot itself and someone who never joined growthbot give none', async () => {
    at('2026-12-01T09:00:00Z');
    await growth('U0ANA', 'join mid');
    await h.send(joined('U0ANA', 'C0GENERAL'));
    await h.send(joined('UBOT', 'C0INCDB'));
    await h.send(joined('U0STRANGER', 'C0INCDB'));
    await h.fake.waitFor('conversations.info', 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(await participations()).toHaveLength(0);
    await runIncidents(h.deps, new Date('2026-12-10T09:00:00Z'));
    expect(reflections()).toHaveLength(0);
  });

  it('the reflection follows their last message, or the archiving if that comes first; only the time is kept', async () => {
    at('2026-12-01T09:00:00Z'); // Tuesday
    await growth('U0ANA', 'join mid');
    await growth('U0BEN', 'join mid');
    await h.send(joined('U0ANA', 'C0INCDB'));
    await h.send(joined('U0BEN', 'C0INCDB'));
    await until(participations, (r) => r.length === 2);
    // Both keep talking until Thursday; Ana stops then, the channel is archived on Friday.
    at('2026-12-03T15:00:00Z');
    const said = eventCallback({
      type: 'message',
      user: 'U0ANA',
      channel: 'C0INCDB',
      channel_type: 'channel',
      text: 'SECRET rollback now',
      ts: '2.1',
    });
    await h.send(said);
    await h.send(
      eventCallback({
        type: 'message',
        user: 'U0BEN',
        channel: 'C0INCDB',
        channel_type: 'channel',
        text: 'ok',
        ts: '2.2',
      }),
    );
    await until(participations, (r) => r.every((p) => p.last_message_at));
    at('2026-12-04T10:00:00Z');
    await h.send(
      eventCallback({
        type: 'message',
        user: 'U0BEN',
        channel: 'C0INCDB',
        channel_type: 'channel',
        text: 'still here',
        ts: '3.1',
      }),
    );
    await h.send(eventCallback({ type: 'channel_archive', channel: 'C0INCDB', user: 'U0BEN' }));
    await until(participations, (r) => r.every((p) => p.archived_at));
    expect(JSON.stringify(await participations())).not.toContain('SECRET');
    // Ana: Thursday's last word → Monday 10:00 Berlin. Ben: archived Friday 05:00 in New York → Tuesday 10:00 there.
    await runIncidents(h.deps, new Date('2026-12-07T09:00:00Z'));
    expect(reflections().map((c) => c.args.channel)).toEqual(['U0ANA']);
    await runIncidents(h.deps, new Date('2026-12-08T14:59:00Z'));
    expect(reflections()).toHaveLength(1);
    await runIncidents(h.deps, new Date('2026-12-08T15:00:00Z'));
    expect(reflections().map((c) => c.args.channel)).toEqual(['U0ANA', 'U0BEN']);
    expect(h.logs.some((l) => JSON.stringify(l).includes('SECRET'))).toBe(false);
  });
});
