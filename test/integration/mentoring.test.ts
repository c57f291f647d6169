// The mentor answers back (issue 20): replies, kudos and help requests as the services keep them.
// Ownership is checked with someone else's ids; a private check-in reaches none of it.
import { beforeEach, describe, expect, it } from 'vitest';
import { setMentor } from '../../src/db/mentorships.ts';
import { forgetPerson, personData } from '../../src/db/person-data.ts';
import { progressRows } from '../../src/db/progress.ts';
import { REPLY_MAX_CHARS } from '../../src/growth/mentoring.ts';
import { addHelpedNote, answerHelped, offerHelp, resolveHelp } from '../../src/services/help-requests.ts';
import { giveKudos, replyTarget, saveReply } from '../../src/services/replies.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { join, TEAM } from '../support/members.ts';

let h: Harness;
useHarness((x) => (h = x));

const NOW = new Date('2026-12-11T14:00:00Z');
beforeEach(async () => {
  h.setNow(NOW);
  await join(h.deps.db, 'U0ANA', 'junior', 'Europe/Berlin');
  await join(h.deps.db, 'U0MO', 'senior', 'Europe/Berlin');
  await join(h.deps.db, 'U0EVE', 'senior', 'Europe/Berlin'); // a mentor, but not Ana's
  await join(h.deps.db, 'U0BEN', 'junior', 'Europe/Berlin');
  await setMentor(h.deps.db, TEAM, 'U0ANA', 'U0MO', NOW);
  await setMentor(h.deps.db, TEAM, 'U0BEN', 'U0EVE', NOW);
});

async function checkin(text: string, o: { help?: boolean; private?: boolean; user?: string } = {}) {
  const row = await h.deps.db
    .insertInto('checkins')
    .values({
      team_id: TEAM,
      user_id: o.user ?? 'U0ANA',
      competency_id: 'observability',
      competency_name: 'Observability',
      text,
      needs_help: o.help ?? false,
      private: o.private ?? false,
      source: 'command',
      idempotency_key: text,
      created_at: new Date(NOW.getTime() - 86_400_000),
      updated_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const ask = (userId: string, checkinId: string) => ({ teamId: TEAM, userId, checkinId });

describe('replies', () => {
  it('only the mentee\u2019s current mentor starts one; only its recipient answers it', async () => {
    expect(await replyTarget(h.deps.db, { teamId: TEAM, userId: 'U0EVE', to: { menteeId: 'U0ANA' } })).toEqual({
      kind: 'not-yours',
    });
    expect(await replyTarget(h.deps.db, { teamId: TEAM, userId: 'U0ANA', to: { menteeId: 'U0ANA' } })).toEqual({
      kind: 'not-yours',
    });
    const sent = await saveReply(h.deps, h.deps.db, {
      teamId: TEAM,
      userId: 'U0MO',
      to: { menteeId: 'U0ANA' },
      text: 'Great runbook <@U0ALL>',
      formId: 'V1',
    });
    expect(sent).toMatchObject({ kind: 'saved', created: true, recipientId: 'U0ANA' });
    if (sent.kind !== 'saved') throw new Error('not saved');
    const again = await saveReply(h.deps, h.deps.db, {
      teamId: TEAM,
      userId: 'U0MO',
      to: { menteeId: 'U0ANA' },
      text: 'Great runbook <@U0ALL>',
      formId: 'V1',
    });
    expect(again).toMatchObject({ kind: 'saved', created: false });
    // Someone else answering Ana's reply: refused, nothing stored.
    for (const who of ['U0EVE', 'U0MO', 'U0BEN'])
      expect(
        await saveReply(h.deps, h.deps.db, {
          teamId: TEAM,
          userId: who,
          to: { replyId: sent.reply.id },
          text: 'hi',
          formId: `V-${who}`,
        }),
      ).toEqual({ kind: 'not-yours' });
    const back = await saveReply(h.deps, h.deps.db, {
      teamId: TEAM,
      userId: 'U0ANA',
      to: { replyId: sent.reply.id },
      text: 'thanks!',
      formId: 'V2',
    });
    expect(back).toMatchObject({
      kind: 'saved',
      recipientId: 'U0MO',
      reply: { fromMentor: false, threadId: sent.reply.id },
    });
    expect(await h.deps.db.selectFrom('replies').select('text').orderBy('id').execute()).toEqual([
      { text: 'Great runbook <@U0ALL>' },
      { text: 'thanks!' },
    ]);
  });

  it('a reply too long is told the limit and stores nothing; an empty one neither', async () => {
    const r = await saveReply(h.deps, h.deps.db, {
      teamId: TEAM,
      userId: 'U0MO',
      to: { menteeId: 'U0ANA' },
      text: 'x'.repeat(REPLY_MAX_CHARS + 1),
      formId: 'V3',
    });
    expect(r).toEqual({ kind: 'too-long', length: REPLY_MAX_CHARS + 1, limit: REPLY_MAX_CHARS });
    expect(
      await saveReply(h.deps, h.deps.db, {
        teamId: TEAM,
        userId: 'U0MO',
        to: { menteeId: 'U0ANA' },
        text: '  ',
        formId: 'V4',
      }),
    ).toEqual({ kind: 'empty' });
    expect(await h.deps.db.selectFrom('replies').select('id').execute()).toEqual([]);
  });
});

describe('kudos', () => {
  it('once per check-in, only from the current mentor, never on a private one', async () => {
    const shared = await checkin('shipped the alert');
    const secret = await checkin('SECRET: my private doubts', { private: true });
    expect(
      await h.deps.db.selectFrom('checkins').select('private').where('id', '=', secret).executeTakeFirstOrThrow(),
    ).toEqual({ private: true });
    expect(await giveKudos(h.deps, h.deps.db, ask('U0EVE', shared))).toEqual({ kind: 'not-yours' });
    expect(await giveKudos(h.deps, h.deps.db, ask('U0ANA', shared))).toEqual({ kind: 'not-yours' });
    expect(await giveKudos(h.deps, h.deps.db, ask('U0MO', secret))).toEqual({ kind: 'not-yours' });
    expect(await giveKudos(h.deps, h.deps.db, ask('U0MO', shared))).toMatchObject({ kind: 'given', menteeId: 'U0ANA' });
    expect(await giveKudos(h.deps, h.deps.db, ask('U0MO', shared))).toEqual({ kind: 'already' });
    expect(await h.deps.db.selectFrom('kudos').select(['checkin_id', 'mentor_id']).execute()).toEqual([
      { checkin_id: shared, mentor_id: 'U0MO' },
    ]);
  });
});

describe('help requests', () => {
  const open = async (audience: 'author' | 'others') =>
    (
      await progressRows(h.deps.db, [{ teamId: TEAM, userId: 'U0ANA', tz: 'Europe/Berlin' }], NOW, audience)
    ).helpRequests.map((r) => r.text);

  it('a shared check-in asking for help is open until either of the two resolves it; nobody else can', async () => {
    const id = await checkin('help me with PromQL', { help: true });
    expect(await open('others')).toEqual(['help me with PromQL']);
    expect(await offerHelp(h.deps, h.deps.db, ask('U0EVE', id))).toEqual({ kind: 'not-yours' });
    expect(await offerHelp(h.deps, h.deps.db, ask('U0ANA', id))).toEqual({ kind: 'not-yours' });
    expect(await offerHelp(h.deps, h.deps.db, ask('U0MO', id))).toMatchObject({ kind: 'offered', at: NOW });
    expect(await offerHelp(h.deps, h.deps.db, ask('U0MO', id))).toEqual({ kind: 'already' });
    expect(
      (await progressRows(h.deps.db, [{ teamId: TEAM, userId: 'U0ANA', tz: 'Europe/Berlin' }], NOW, 'others'))
        .helpRequests[0],
    ).toMatchObject({ offeredBy: 'U0MO', offeredAt: NOW });
    expect(await resolveHelp(h.deps, h.deps.db, ask('U0EVE', id))).toEqual({ kind: 'not-yours' });
    expect(await resolveHelp(h.deps, h.deps.db, ask('U0BEN', id))).toEqual({ kind: 'not-yours' });
    expect(await open('others')).toEqual(['help me with PromQL']);
    expect(await resolveHelp(h.deps, h.deps.db, ask('U0ANA', id))).toMatchObject({
      kind: 'resolved',
      mentorId: 'U0MO',
    });
    expect(await resolveHelp(h.deps, h.deps.db, ask('U0MO', id))).toEqual({ kind: 'already' });
    expect(await open('others')).toEqual([]);
    expect(await open('author')).toEqual([]);
    // Asked once whether it helped: only the mentee answers, once; then one optional line.
    expect(await answerHelped(h.deps, h.deps.db, { ...ask('U0MO', id), helped: false })).toBe(false);
    expect(await answerHelped(h.deps, h.deps.db, { ...ask('U0ANA', id), helped: true })).toBe(true);
    expect(await answerHelped(h.deps, h.deps.db, { ...ask('U0ANA', id), helped: false })).toBe(false);
    expect(await addHelpedNote(h.deps.db, { ...ask('U0ANA', id), text: 'x'.repeat(501) })).toMatchObject({
      kind: 'too-long',
      limit: 500,
    });
    expect(await addHelpedNote(h.deps.db, { ...ask('U0MO', id), text: 'planted' })).toEqual({ kind: 'gone' });
    expect(await addHelpedNote(h.deps.db, { ...ask('U0ANA', id), text: 'pairing on it worked' })).toEqual({
      kind: 'saved',
    });
    expect(
      await h.deps.db.selectFrom('help_requests').select(['helped', 'helped_note', 'resolved_by']).execute(),
    ).toEqual([{ helped: true, helped_note: 'pairing on it worked', resolved_by: 'U0ANA' }]);
  });

  it('the mentor may resolve too; a private check-in is no help request for anyone', async () => {
    const id = await checkin('stuck on SLOs', { help: true });
    // Stored as the digest test does: a private check-in flagged for help (the form refuses it).
    const secret = await checkin('SECRET: private and asking', { help: true, private: true });
    expect(await open('others')).toEqual(['stuck on SLOs']);
    expect(await offerHelp(h.deps, h.deps.db, ask('U0MO', secret))).toEqual({ kind: 'not-yours' });
    expect(await resolveHelp(h.deps, h.deps.db, ask('U0MO', secret))).toEqual({ kind: 'not-yours' });
    expect(await resolveHelp(h.deps, h.deps.db, ask('U0MO', id))).toMatchObject({ kind: 'resolved' });
    expect(await h.deps.db.selectFrom('help_requests').select('checkin_id').execute()).toEqual([{ checkin_id: id }]);
  });
});

describe('export and forget-me', () => {
  it('the export holds replies, kudos and help requests; forget-me removes them on either side', async () => {
    const id = await checkin('help me', { help: true });
    await saveReply(h.deps, h.deps.db, {
      teamId: TEAM,
      userId: 'U0MO',
      to: { menteeId: 'U0ANA' },
      text: 'hi',
      formId: 'V9',
    });
    await giveKudos(h.deps, h.deps.db, ask('U0MO', id));
    await offerHelp(h.deps, h.deps.db, ask('U0MO', id));
    const ana = await personData(h.deps.db, TEAM, 'U0ANA');
    expect(ana.replies.map((r) => r.text)).toEqual(['hi']);
    expect(ana.kudos.map((k) => k.checkin_id)).toEqual([id]);
    expect(ana.help_requests).toMatchObject([{ checkin_id: id, offered_by: 'U0MO' }]);
    expect((await personData(h.deps.db, TEAM, 'U0MO')).replies).toHaveLength(1);

    // The mentor forgotten: his replies and kudos go, and his name leaves Ana's request.
    expect(await forgetPerson(h.deps.db, TEAM, 'U0MO', { now: h.deps.now() })).toMatchObject({ replies: 1, kudos: 1 });
    expect(await h.deps.db.selectFrom('help_requests').select(['offered_by', 'offered_at']).execute()).toEqual([
      { offered_by: null, offered_at: null },
    ]);
    await resolveHelp(h.deps, h.deps.db, ask('U0ANA', id));
    expect(await forgetPerson(h.deps.db, TEAM, 'U0ANA', { now: h.deps.now() })).toMatchObject({ help_requests: 1 });
    for (const table of ['replies', 'kudos', 'help_requests'] as const)
      expect(await h.deps.db.selectFrom(table).selectAll().execute(), table).toEqual([]);
  });
});
