import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  isWithdrawnMessage,
  recentCheckins,
  recordCheckin,
  recordCheckins,
  setOwnCheckinPrivate,
} from '../../src/db/checkins.ts';
import { createDb } from '../../src/db/create-db.ts';
import type { NewCheckin } from '../../src/db/schema.ts';
import type { Deps } from '../../src/deps.ts';
import { createMetrics } from '../../src/metrics.ts';
import {
  type FormCheckin,
  saveFormCheckin,
  setCheckinPrivacy,
  withdrawCheckin,
  withdrawMessage,
} from '../../src/services/checkins.ts';
import { tellIncident } from '../../src/services/incidents.ts';
import { editTypedCheckin } from '../../src/services/typed-checkins.ts';
import { checkinForm as form, insertPrompt, promptOutcome } from '../support/checkins.ts';
import { useTestDatabase } from '../support/db.ts';
import { joinAnaAndBen, TEAM } from '../support/members.ts';
import { rubricFixture } from '../support/rubric-fixture.ts';

// Tuesday 8 December 2026, 11:00 in Berlin: week 2026-W50.
const TUESDAY = new Date('2026-12-08T10:00:00Z');
const DAY = 86_400_000;

// What the check-in form, Home's buttons and the DM do with a check-in: only ever the
// submitter's own, and a private one is the author's alone.
describe('check-ins: ownership and privacy', () => {
  const d = useTestDatabase(joinAnaAndBen);
  let deps: Deps;
  let now = TUESDAY;
  beforeEach(async () => {
    now = TUESDAY;
    deps = { db: d.db, now: () => now, rubrics: rubricFixture, metrics: createMetrics() } as unknown as Deps;
  });
  const saved = async (o: Partial<FormCheckin> = {}) => {
    const r = await saveFormCheckin(deps, d.db, form(o));
    if (r.kind !== 'saved') throw new Error(`not saved: ${r.kind}`);
    return r;
  };
  const rows = () =>
    d.db.selectFrom('checkins').select(['id', 'user_id', 'text', 'private', 'nudge_id']).orderBy('id').execute();
  const prompt = (userId: string, week: string, createdAt: Date) => insertPrompt(d.db, { userId, week, createdAt });
  const outcome = (id: string) => promptOutcome(d.db, id);
  const modalCount = async () =>
    (await deps.metrics.checkins.get()).values.map((v) => ({ labels: v.labels, value: v.value }));
  const typed = (o: Partial<NewCheckin> & { idempotency_key: string }): NewCheckin => ({
    team_id: TEAM,
    user_id: 'UANA',
    competency_id: null,
    competency_name: null,
    text: 'typed in the DM',
    rating: null,
    evidence_url: null,
    private: false,
    source: 'dm',
    nudge_id: null,
    created_at: now,
    updated_at: now,
    ...o,
  });

  it('Home’s Edit changes the author’s own recent check-in, keeps its time, and changes nobody else’s', async () => {
    const { checkin: c } = await saved();
    now = new Date(TUESDAY.getTime() + DAY);
    const edit = await saveFormCheckin(
      deps,
      d.db,
      form({ checkinId: c.id, formId: 'V2', text: 'Rewrote the runbook' }),
    );
    expect(edit).toMatchObject({
      kind: 'saved',
      edited: true,
      answered: undefined,
      checkin: { id: c.id, text: 'Rewrote the runbook', createdAt: TUESDAY, updatedAt: now },
    });
    const ben = await saveFormCheckin(
      deps,
      d.db,
      form({ userId: 'UBEN', checkinId: c.id, formId: 'V3', text: 'mine' }),
    );
    expect(ben).toEqual({ kind: 'not-editable' });
    expect(await rows()).toEqual([
      { id: c.id, user_id: 'UANA', text: 'Rewrote the runbook', private: false, nudge_id: null },
    ]);
    // Past the edit window (14 days), even the author's own stays as it is.
    now = new Date(TUESDAY.getTime() + 15 * DAY);
    expect(await saveFormCheckin(deps, d.db, form({ checkinId: c.id, formId: 'V4', text: 'late' }))).toEqual({
      kind: 'not-editable',
    });
    expect((await rows())[0]?.text).toBe('Rewrote the runbook');
  });

  it('the form opened from a prompt answers it, once: a resubmitted form counts and settles nothing again', async () => {
    // Last week's prompt, answered from its own message on Tuesday: it is the one answered.
    const lastWeek = await prompt('UANA', '2026-W49', new Date('2026-12-04T09:00:00Z'));
    const first = await saveFormCheckin(deps, d.db, form({ nudgeId: lastWeek.id }));
    expect(first).toMatchObject({
      kind: 'saved',
      edited: false,
      answered: { id: lastWeek.id, outcome: 'answered' },
      checkin: { nudgeId: lastWeek.id },
    });
    expect(await outcome(lastWeek.id)).toBe('answered');
    expect(await modalCount()).toEqual([{ labels: { source: 'modal' }, value: 1 }]);
    const again = await saveFormCheckin(deps, d.db, form({ nudgeId: lastWeek.id }));
    expect(again).toEqual({
      kind: 'saved',
      edited: false,
      answered: undefined,
      checkin: expect.objectContaining({ id: first.kind === 'saved' && first.checkin.id }),
    });
    expect(await modalCount()).toEqual([{ labels: { source: 'modal' }, value: 1 }]);
    expect(await rows()).toHaveLength(1);
  });

  it('the form answers this week’s prompt of the submitter only', async () => {
    const bens = await prompt('UBEN', '2026-W50', new Date('2026-12-07T09:00:00Z'));
    // Anna's form names Ben's prompt: it answers none of his.
    const r = await saved({ nudgeId: bens.id });
    expect(r).toMatchObject({ answered: undefined, checkin: { nudgeId: null } });
    expect(await outcome(bens.id)).toBe('open');
    const anas = await prompt('UANA', '2026-W50', new Date('2026-12-07T09:00:00Z'));
    expect(await saved({ formId: 'V2' })).toMatchObject({
      answered: { id: anas.id, outcome: 'answered' },
      checkin: { nudgeId: anas.id },
    });
  });

  it('the form reflects on the submitter’s own incident only, with the action item they named', async () => {
    const told = async (userId: string, text: string) => {
      const t = await tellIncident(deps, d.db, { teamId: TEAM, userId, text });
      if (t.kind !== 'noted') throw new Error(t.kind);
      return t.participation.id;
    };
    const bens = await told('UBEN', 'Checkout outage');
    const anas = await told('UANA', 'DNS outage');
    const onBens = await saved({ incidentId: bens, actionItem: 'delete the alert', text: 'my words' });
    expect(onBens).toMatchObject({ kind: 'saved', reflected: undefined });
    const onOwn = await saved({ formId: 'V2', incidentId: anas, actionItem: 'alert on expiry' });
    expect(onOwn).toMatchObject({
      kind: 'saved',
      reflected: { id: anas, userId: 'UANA', checkinId: onOwn.checkin.id, actionItem: 'alert on expiry' },
    });
    const incidents = await d.db
      .selectFrom('incident_participations')
      .select(['id', 'user_id', 'checkin_id', 'action_item'])
      .orderBy('id')
      .execute();
    expect(incidents).toEqual([
      { id: bens, user_id: 'UBEN', checkin_id: null, action_item: null },
      { id: anas, user_id: 'UANA', checkin_id: onOwn.checkin.id, action_item: 'alert on expiry' },
    ]);
    // Ben's incident is untouched, and Anna's words stayed an ordinary check-in of hers.
    expect((await rows()).map((c) => [c.user_id, c.text])).toEqual([
      ['UANA', 'my words'],
      ['UANA', 'Wrote the runbook'],
    ]);
  });

  it('a button carrying a tampered check-in id finds nothing, and changes nothing', async () => {
    // An id of two digits, so a check that took one digit only would refuse the real one.
    await recordCheckin(d.db, typed({ idempotency_key: 'k12', source: 'modal' }));
    await sql`update checkins set id = 12 where idempotency_key = 'k12'`.execute(d.db);
    for (const id of ['x12', '12x', '1 2']) {
      expect(await setCheckinPrivacy(deps, d.db, { checkinId: id, userId: 'UANA', isPrivate: true })).toEqual({
        kind: 'not-found',
      });
      expect(await setOwnCheckinPrivate(d.db, id, 'UANA', true, now)).toBeUndefined();
      expect(await withdrawCheckin(deps, d.db, { checkinId: id, userId: 'UANA' })).toBeUndefined();
    }
    expect(await rows()).toEqual([
      { id: '12', user_id: 'UANA', text: 'typed in the DM', private: false, nudge_id: null },
    ]);
    expect(await setOwnCheckinPrivate(d.db, '12', 'UBEN', true, now)).toBeUndefined();
    expect(await setOwnCheckinPrivate(d.db, '12', 'UANA', true, now)).toMatchObject({ id: '12', private: true });
    expect(await setCheckinPrivacy(deps, d.db, { checkinId: '12', userId: 'UANA', isPrivate: false })).toMatchObject({
      kind: 'changed',
      checkin: { id: '12', private: false },
    });
    expect(await withdrawCheckin(deps, d.db, { checkinId: '12', userId: 'UANA' })).toMatchObject({
      gone: { id: '12' },
    });
    expect(await rows()).toEqual([]);
  });

  it('the author’s own list holds their private check-ins; the list others read leaves them out', async () => {
    await saved({ text: 'shared one' });
    now = new Date(TUESDAY.getTime() + 60_000);
    await saved({ formId: 'V2', text: 'just for me', isPrivate: true });
    const texts = (cs: { text: string }[]) => cs.map((c) => c.text);
    expect(texts(await recentCheckins(d.db, TEAM, 'UANA'))).toEqual(['just for me', 'shared one']);
    expect(texts(await recentCheckins(d.db, TEAM, 'UANA', 5, true))).toEqual(['shared one']);
  });

  it('a DM message taken back with Home’s Delete stays taken back; deleting the message withdraws its check-in', async () => {
    const answeredPrompt = await prompt('UANA', '2026-W50', new Date('2026-12-07T09:00:00Z'));
    await d.db.updateTable('nudges').set({ outcome: 'answered' }).execute();
    const ref = { teamId: TEAM, channel: 'D0ANA', ts: '1765188000.000100', userId: 'UANA' };
    const other = { ...ref, ts: '1765188000.000200' };
    const { checkin: a } = await recordCheckin(
      d.db,
      typed({ idempotency_key: 'm1', message_channel: ref.channel, message_ts: ref.ts }),
    );
    const { checkin: b } = await recordCheckin(
      d.db,
      typed({
        idempotency_key: 'm2',
        message_channel: other.channel,
        message_ts: other.ts,
        nudge_id: answeredPrompt.id,
      }),
    );
    expect(await withdrawCheckin(deps, d.db, { checkinId: a.id, userId: 'UANA' })).toMatchObject({
      gone: { id: a.id },
    });
    expect(await isWithdrawnMessage(d.db, ref)).toBe(true);
    expect(await isWithdrawnMessage(d.db, other)).toBe(false);
    // The message edited later (once too long, short enough now) does not come back as a check-in.
    const shortNow = { text: { ok: true as const, text: 'short now' }, wasTooLong: true, unchanged: false };
    expect(await editTypedCheckin(deps, d.db, ref, shortNow)).toEqual({ kind: 'none' });
    expect(await editTypedCheckin(deps, d.db, { ...ref, ts: '1765188000.000300' }, shortNow)).toEqual({
      kind: 'first-fit',
      text: 'short now',
    });
    // Someone else's user id on the message finds nothing; the author deleting it withdraws it, and its prompt opens again.
    expect(await withdrawMessage(deps, d.db, { ...other, userId: 'UBEN' })).toBeUndefined();
    expect(await withdrawMessage(deps, d.db, other)).toMatchObject({
      gone: { id: b.id },
      reopened: { id: answeredPrompt.id, outcome: 'open' },
    });
    expect(await rows()).toEqual([]);
  });

  it('quick check-ins arriving together are stored in one round trip; one refused alone gives its error', async () => {
    let queries = 0;
    const counted = await createDb({ databaseUrl: d.url, dataDir: '', log: () => void queries++ });
    try {
      const r = await recordCheckins(counted.db, [
        typed({ idempotency_key: 'q1' }),
        typed({ idempotency_key: 'q2' }),
        typed({ idempotency_key: 'q3' }),
      ]);
      expect(r.map((x) => (x instanceof Error ? 'error' : x.created))).toEqual([true, true, true]);
      expect(queries).toBe(1);
      const [refused] = await recordCheckins(counted.db, [typed({ idempotency_key: 'q4', text: 'x'.repeat(3001) })]);
      expect(refused).toBeInstanceOf(Error);
    } finally {
      await counted.close();
    }
    expect(await rows()).toHaveLength(3);
  });
});
