import { beforeAll, describe, expect, it } from 'vitest';
import { runDigests } from '../../src/jobs/digests.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { buildExport } from '../../src/slack/export.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import {
  blockAction,
  checkboxesValue,
  radioValue,
  selectValue,
  slashCommand,
  textValue,
  viewSubmission,
} from '../support/slack-requests.ts';

// "Just for me" means nothing of a check-in reaches anyone else, not even that it exists: the
// check-in's own flag is the one privacy fact, and every surface a mentor reads follows it.

let h: Harness;
useHarness((x) => (h = x));
beforeAll(() => {
  h.fake.addUser({ id: 'U0ANA', tz: 'Europe/Berlin', real_name: 'Ana' });
  h.fake.addUser({ id: 'U0MO', tz: 'Europe/Berlin', real_name: 'Mo' });
});

const TEAM = 'T0TEST';
const FRIDAY = new Date('2026-12-11T14:05:00Z'); // Friday 15:05 in Berlin: the digest is due
const say = async (user: string, text: string) =>
  ((await h.send(slashCommand({ command: '/growth', text, user_id: user }))).json as { text: string }).text;
const digestText = () =>
  JSON.stringify(h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0MO' && c.args.metadata)?.args);

async function anaWithMentor() {
  h.setNow(new Date('2026-12-07T09:00:00Z'));
  await say('U0ANA', 'join mid');
  expect(await say('U0ANA', 'mentor <@U0MO>')).toContain('is now your mentor');
}

/** The check-in form as Slack submits it; `meta` is its private_metadata. */
function form(
  viewId: string,
  o: { text: string; competency?: string; help?: boolean; private?: boolean; meta?: Record<string, string> },
) {
  const c = IDS.checkin;
  const flags = [...(o.help ? [IDS.options.needsHelp] : []), ...(o.private ? [IDS.options.private] : [])];
  return h.send(
    viewSubmission({
      user: 'U0ANA',
      callback_id: IDS.checkinModal,
      view_id: viewId,
      private_metadata: JSON.stringify(o.meta ?? {}),
      values: {
        [c.competencyBlock]: { [c.competencyAction]: selectValue(o.competency ?? 'slo-thinking') },
        [c.textBlock]: { [c.textAction]: textValue(o.text) },
        [c.ratingBlock]: { [c.ratingAction]: radioValue(null) },
        [c.optionsBlock]: { [c.optionsAction]: checkboxesValue(flags) },
      },
    }),
  );
}

describe('an on-call retro made "just for me" through Home\u2019s Edit', () => {
  it('no longer reaches the mentor\u2019s digest: neither its words, its numbers, nor that it exists', async () => {
    await anaWithMentor();
    const feed = await h.deps.db
      .insertInto('oncall_feeds')
      .values({
        team_id: TEAM,
        kind: 'member',
        owner_id: 'U0ANA',
        url: 'https://calendar.example/feed.ics',
        url_masked: 'https://calendar.example/…',
        created_by: 'U0ANA',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const shift = await h.deps.db
      .insertInto('oncall_shifts')
      .values({
        team_id: TEAM,
        feed_id: feed.id,
        user_id: 'U0ANA',
        uid: 'shift-1',
        starts_at: new Date('2026-12-07T08:00:00Z'),
        ends_at: new Date('2026-12-09T08:00:00Z'),
        updated_at: new Date('2026-12-07T08:00:00Z'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    h.setNow(new Date('2026-12-09T09:00:00Z'));
    const r = IDS.retro;
    const filed = await h.send(
      viewSubmission({
        user: 'U0ANA',
        callback_id: IDS.retroModal,
        view_id: 'V0RETRO',
        private_metadata: JSON.stringify({ shiftId: shift.id }),
        values: {
          [r.pagesBlock]: { [r.pagesAction]: { type: 'number_input', value: '7' } },
          [r.actionableBlock]: { [r.actionableAction]: { type: 'number_input', value: '3' } },
          [r.toilBlock]: { [r.toilAction]: { type: 'number_input', value: '2' } },
          [r.alertBlock]: { [r.alertAction]: textValue('SECRET-ALERT DiskFilling') },
          [r.handoverBlock]: { [r.handoverAction]: textValue('SECRET-HANDOVER the batch hosts') },
          [r.optionsBlock]: { [r.optionsAction]: checkboxesValue([]) },
        },
      }),
    );
    expect(filed.status).toBe(200);
    const retro = await h.deps.db.selectFrom('oncall_retros').selectAll().executeTakeFirstOrThrow();
    const checkin = await h.deps.db
      .selectFrom('checkins')
      .selectAll()
      .where('id', '=', retro.checkin_id)
      .executeTakeFirstOrThrow();

    // Home's Edit: the same form, naming the check-in, now "just for me".
    const edit = await form('V0EDIT', {
      text: checkin.text,
      competency: checkin.competency_id!,
      private: true,
      meta: { checkinId: checkin.id },
    });
    expect(edit.text).toBe('');
    expect(
      await h.deps.db.selectFrom('checkins').select('private').where('id', '=', checkin.id).executeTakeFirst(),
    ).toEqual({ private: true });
    // The retro is still stored, with its words.
    expect(await h.deps.db.selectFrom('oncall_retros').select(['pages', 'handover']).execute()).toEqual([
      { pages: 7, handover: 'SECRET-HANDOVER the batch hosts' },
    ]);

    await runDigests(h.deps, FRIDAY);
    const digest = digestText();
    expect(digest).toContain('<@U0ANA>');
    expect(digest).not.toContain('SECRET');
    expect(digest).not.toContain('retro');
    expect(digest).not.toContain('*7* pages');
  });
});

describe('"Just for me" and "I\u2019d like help" together', () => {
  it('the form says the mentor cannot help with what they cannot see, and stores nothing', async () => {
    await anaWithMentor();
    const r = await form('V0BOTH', { text: 'SECRET I am stuck on the error budget maths', help: true, private: true });
    expect(r.json).toMatchObject({
      response_action: 'errors',
      errors: { [IDS.checkin.optionsBlock]: expect.stringContaining('cannot help with what they cannot see') },
    });
    expect(await h.deps.db.selectFrom('checkins').select('id').execute()).toEqual([]);
    // Either alone is fine.
    expect((await form('V0HELP', { text: 'Stuck on the error budget maths', help: true })).text).toBe('');
    expect((await form('V0MINE', { text: 'SECRET just for me', private: true })).text).toBe('');
    expect(await h.deps.db.selectFrom('checkins').select('id').execute()).toHaveLength(2);
  });

  it('a stored check-in with both (made before this rule) never reaches the digest or the summary', async () => {
    await anaWithMentor();
    h.setNow(new Date('2026-12-09T09:00:00Z'));
    await h.deps.db
      .insertInto('checkins')
      .values({
        team_id: TEAM,
        user_id: 'U0ANA',
        competency_id: 'writing-clearly',
        competency_name: 'Writing clearly',
        text: 'SECRET stuck with the status page',
        source: 'modal',
        needs_help: true,
        private: true,
        idempotency_key: 'legacy-both',
        created_at: new Date('2026-12-09T09:00:00Z'),
        updated_at: new Date('2026-12-09T09:00:00Z'),
      })
      .execute();
    // Ana herself sees it on her own summary: its words, her help line and its count.
    const own = await say('U0ANA', 'summary');
    expect(own).toContain('SECRET stuck with the status page');
    expect(own).toContain('Writing clearly · 1 this quarter');
    await runDigests(h.deps, FRIDAY);
    const digest = digestText();
    expect(digest).toContain('<@U0ANA>');
    for (const shown of [digest, await say('U0MO', 'summary <@U0ANA>')]) {
      expect(shown).not.toContain('SECRET');
      expect(shown).not.toContain('Asked for help');
      expect(shown).not.toContain('asked for help with');
      expect(shown).not.toContain('Writing clearly · 1 this quarter');
    }
  });

  it('"Make private" on a check-in that asks for help is refused with the reason, and it stays shared', async () => {
    await anaWithMentor();
    await form('V0HELP', { text: 'Stuck on the error budget maths', help: true });
    const c = await h.deps.db.selectFrom('checkins').selectAll().executeTakeFirstOrThrow();
    await h.send(blockAction({ user: 'U0ANA', action_id: IDS.dm.makePrivate, value: c.id }));
    const [told] = await h.fake.waitFor('chat.postMessage', 1, 5_000, (m) =>
      String(m.args.text).includes('cannot help with what they cannot see'),
    );
    expect(told!.args.channel).toBe('U0ANA');
    expect(await h.deps.db.selectFrom('checkins').select('private').executeTakeFirst()).toEqual({ private: false });
  });
});

describe('a person\u2019s export and forget-me reach everything stored about them', () => {
  async function teamFeed() {
    await say('U0MO', 'join senior');
    await say('U0ANA', 'join mid');
    return h.deps.db
      .insertInto('oncall_feeds')
      .values({
        team_id: TEAM,
        kind: 'schedule',
        owner_id: null,
        url: 'https://pager.example/schedules/SECRETTOKEN/feed.ics',
        url_masked: 'https://pager.example/…',
        created_by: 'U0MO',
        unmatched: JSON.stringify(['Zed Unknown', 'ana  LOVELACE']),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  }

  it('export lists the schedule feeds they added (address masked) and their names a feed kept unmatched', async () => {
    const feed = await teamFeed();
    const mo = JSON.parse((await buildExport(h.deps, TEAM, 'U0MO')).json) as Record<string, unknown>;
    expect(mo.schedule_feeds_added).toEqual([
      expect.objectContaining({ id: feed.id, url_masked: 'https://pager.example/…' }),
    ]);
    expect(JSON.stringify(mo)).not.toContain('SECRETTOKEN');
    const ana = JSON.parse((await buildExport(h.deps, TEAM, 'U0ANA', ['Ana Lovelace'])).json) as Record<
      string,
      unknown
    >;
    expect(ana.unmatched_names).toEqual([{ feed_id: feed.id, names: ['ana  LOVELACE'] }]);
    expect(ana.schedule_feeds_added).toEqual([]);
  });

  it('forget-me takes their name out of a feed\u2019s unmatched names, and leaves the others', async () => {
    h.fake.addUser({ id: 'U0ANA', tz: 'Europe/Berlin', real_name: 'Ana Lovelace' });
    const feed = await teamFeed();
    await h.send(blockAction({ user: 'U0ANA', action_id: IDS.forgetMe.confirm, value: 'forget' }));
    await h.fake.waitFor('chat.postMessage', 1, 5_000, (c) => String(c.args.text).startsWith('Done: everything'));
    const kept = await h.deps.db
      .selectFrom('oncall_feeds')
      .select('unmatched')
      .where('id', '=', feed.id)
      .executeTakeFirst();
    expect(kept?.unmatched).toEqual(['Zed Unknown']);
  });
});
