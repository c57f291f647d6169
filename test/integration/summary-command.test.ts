// `/growth summary` and `/growth mentees` as their handlers answer them, on a real database: who
// may read a summary (the person, their current mentor, an admin; not a former mentor, not a
// stranger), what each of them sees of what is just for the person, the buttons only the mentor
// gets, and a mentees list too long for one reply (help first, the whole list as a file).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setMentor } from '../../src/db/mentorships.ts';
import type { Deps } from '../../src/deps.ts';
import { REPLY_MAX_CHARS } from '../../src/outbound/views/long-list.ts';
import type { GrowthContext, Reply } from '../../src/slack/subcommand.ts';
import { summaryHandlers } from '../../src/slack/summary-command.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { join, seedMembers, TEAM } from '../support/members.ts';
import { rubricFixture } from '../support/rubric-fixture.ts';

// Tuesday 8 December 2026.
const now = new Date('2026-12-08T10:00:00Z');
const day = (d: number, hour = 9) => new Date(Date.UTC(2026, 11, d, hour));

/** The words a refusal must have, whoever asks (not the constant: a test of it must see the words). */
const REFUSED = /^I can show a summary only to the person themselves, their current mentor, or a growthbot admin\./;

describe('/growth summary and /growth mentees', () => {
  let d: TestDatabase;
  const deps = () =>
    ({ db: d.db, now: () => now, rubrics: rubricFixture, config: { adminUserIds: ['UADMIN'] } }) as unknown as Deps;
  const uploads: { opened: unknown[]; files: Record<string, unknown>[] } = { opened: [], files: [] };
  const slack = {
    conversations: { open: async (a: unknown) => (uploads.opened.push(a), { channel: { id: 'D0DM' } }) },
    filesUploadV2: async (a: Record<string, unknown>) => (uploads.files.push(a), { ok: true }),
  };
  const ctx = (userId: string): GrowthContext => ({ deps: deps(), slack: slack as never, teamId: TEAM, userId });
  const summary = (asker: string, about: string | null) =>
    summaryHandlers.summary(ctx(asker), { kind: 'summary', userId: about });
  const textOf = (r: Reply) => (typeof r === 'string' ? r : r.text);
  /** Ana's check-ins just for her: what the others' views must not show exists. */
  const privateOnes = () =>
    d.db.selectFrom('checkins').select('text').where('user_id', '=', 'UANA').where('private', '=', true).execute();

  const ids: Record<string, string> = {};
  async function checkin(
    key: string,
    o: { at: Date; competencyId: string | null; name: string; help?: boolean; private?: boolean; user?: string },
  ) {
    const row = await d.db
      .insertInto('checkins')
      .values({
        team_id: TEAM,
        user_id: o.user ?? 'UANA',
        competency_id: o.competencyId,
        competency_name: o.name,
        text: `${key} words`,
        needs_help: o.help ?? false,
        private: o.private ?? false,
        source: 'command',
        idempotency_key: key,
        created_at: o.at,
        updated_at: o.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids[key] = row.id;
    return row.id;
  }

  beforeAll(async () => {
    d = await createTestDatabase();
  });
  afterAll(async () => d?.close());
  beforeEach(async () => {
    await d.truncate();
    await d.db.deleteFrom('focus_areas').execute();
    uploads.opened.length = 0;
    uploads.files.length = 0;
    for (const [u, level] of [
      ['UANA', 'junior'],
      ['UMO', 'senior'],
      ['UOLD', 'senior'],
      ['UBEN', 'junior'],
      ['UADMIN', 'staff'],
    ] as const)
      await join(d.db, u, level, 'UTC');
    // Ana's mentor was Old, until 2 December; Mo since.
    await setMentor(d.db, TEAM, 'UANA', 'UOLD', day(1));
    await setMentor(d.db, TEAM, 'UANA', 'UMO', day(2));
    // Ana: two shared requests for help (Mo already offered on the second), a shared check-in on a
    // competency no longer named by id, and one just for her.
    await checkin('SHARED-HELP', { at: day(3), competencyId: 'junior-c1', name: 'stored one', help: true });
    const offered = await checkin('OFFERED-HELP', { at: day(4), competencyId: 'junior-c2', name: 'two', help: true });
    await checkin('NO-ID', { at: day(5), competencyId: null, name: 'An old competency' });
    await checkin('PRIVATE', { at: day(7), competencyId: 'junior-c1', name: 'stored one', private: true });
    await d.db
      .insertInto('help_requests')
      .values({ checkin_id: offered, team_id: TEAM, user_id: 'UANA', offered_by: 'UMO', offered_at: day(5) })
      .execute();
    await d.db
      .insertInto('focus_areas')
      .values({ team_id: TEAM, user_id: 'UANA', quarter: '2026-Q4', competency_ids: '["junior-c1"]', status: 'agreed' })
      .execute();
  });

  describe('who may read a summary', () => {
    it('the person themselves, asking with or without naming themselves', async () => {
      for (const about of [null, 'UANA']) {
        const r = await summary('UANA', about);
        expect(typeof r).toBe('string');
        expect(r).toMatch(/^\*Your progress\* · junior/);
      }
    });

    it('their current mentor and an admin, each under the person’s name', async () => {
      expect(textOf(await summary('UMO', 'UANA'))).toMatch(/^\*<@UANA>\* · junior/);
      expect(await summary('UADMIN', 'UANA')).toMatch(/^\*<@UANA>\* · junior/);
    });

    it('not a former mentor, nor someone else, nor the mentor about someone not theirs: the same words', async () => {
      // Old mentored Ana before Mo: the mentorship exists, ended.
      expect(
        await d.db
          .selectFrom('mentorships')
          .select(['mentor_id', 'ended_at'])
          .where('mentee_id', '=', 'UANA')
          .execute(),
      ).toContainEqual({ mentor_id: 'UOLD', ended_at: day(2) });
      expect(await summary('UOLD', 'UANA')).toMatch(REFUSED);
      expect(await summary('UBEN', 'UANA')).toMatch(REFUSED);
      expect(await summary('UMO', 'UBEN')).toMatch(REFUSED);
      // About someone who never joined, the stranger hears the same words, not that they never joined.
      expect(await summary('UBEN', 'UNEVER')).toMatch(REFUSED);
    });

    it('an admin asking about someone who has not joined is told so; someone not joined asking is told to join', async () => {
      expect(await summary('UADMIN', 'UNEVER')).toBe('<@UNEVER> has not joined growthbot.');
      expect(await summary('UNEVER', null)).toMatch(/^You have not joined yet\. Start with `\/growth join <level>`/);
    });
  });

  describe('what each sees', () => {
    it('the person sees everything of theirs, the private check-in marked as just for them', async () => {
      const r = textOf(await summary('UANA', null));
      expect(r).toContain('_Watch for:_ A junior engineer gets stuck this way, in a fixture.');
      expect(r).not.toContain('Here is how to avoid it');
      // The three latest, newest first; a check-in with no competency id keeps the name it was saved with.
      expect(r).toContain(
        '*Latest check-ins*\n• 2026-12-07 · junior competency 1 · just for you\n>PRIVATE words\n• 2026-12-05 · An old competency\n>NO-ID words\n• 2026-12-04 · junior competency 2\n>OFFERED-HELP words\n',
      );
      expect(r).not.toContain('SHARED-HELP words\n•');
      // Counted with the private one: two this quarter, in progress and in the focus.
      expect(r).toContain('junior competency 1 · 2 this quarter');
      expect(r).toContain('*Focus 2026-Q4* (agreed with your mentor)\n:dart: junior competency 1 · 2 check-ins');
      expect(r).toContain('*Asked for help*');
      // The mentor's prompts for a 1:1 are for the mentor, not for the person.
      expect(r).toContain('*Next 1:1, talk about*');
      expect(r).not.toContain('_Ask:_');
    });

    it('their mentor sees nothing of what is just for them, with what to ask, and buttons to answer', async () => {
      expect(await privateOnes()).toEqual([{ text: 'PRIVATE words' }]);
      const r = await summary('UMO', 'UANA');
      if (typeof r === 'string') throw new Error('the mentor gets buttons');
      const { text, blocks } = r;
      expect(text).not.toContain('PRIVATE');
      expect(text).not.toContain('just for you');
      expect(text).toContain(
        '*Latest check-ins*\n• 2026-12-05 · An old competency\n>NO-ID words\n• 2026-12-04 · junior competency 2\n>OFFERED-HELP words\n• 2026-12-03 · junior competency 1\n>SHARED-HELP words\n',
      );
      expect(text).toContain('junior competency 1 · 1 this quarter');
      expect(text).toContain('*Focus 2026-Q4* (agreed with their mentor)\n:dart: junior competency 1 · 1 check-in ');
      expect(text).toContain('_Ask:_ What did you try first for junior-c1?');
      // The text as sections, then the buttons.
      const sections = blocks!.slice(0, -1);
      expect(sections.length).toBeGreaterThan(0);
      for (const s of sections) expect(s).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
      expect(sections.map((s) => (s as { text: { text: string } }).text.text).join('\n')).toBe(text);
      const actions = blocks!.at(-1) as {
        type: string;
        block_id: string;
        elements: { text: { text: string }; value: string }[];
      };
      expect(actions).toMatchObject({ type: 'actions', block_id: 'mentee_UANA' });
      // I'll help only where Mo has not offered yet; kudos on each check-in quoted.
      expect(actions.elements.map((e) => [e.text.text, e.value])).toEqual([
        ['Reply', 'UANA'],
        ["I'll help: junior competency 1", ids['SHARED-HELP']],
        ['Kudos: 2026-12-05', ids['NO-ID']],
        ['Kudos: 2026-12-04', ids['OFFERED-HELP']],
        ['Kudos: 2026-12-03', ids['SHARED-HELP']],
      ]);
    });

    it('an admin sees what the mentor sees of the text, and no buttons', async () => {
      expect(await privateOnes()).toEqual([{ text: 'PRIVATE words' }]);
      const r = await summary('UADMIN', 'UANA');
      expect(typeof r).toBe('string');
      expect(r).toContain('SHARED-HELP words');
      expect(r).not.toContain('PRIVATE');
      expect(r).toContain('junior competency 1 · 1 this quarter');
    });
  });

  describe('/growth mentees', () => {
    it('someone nobody named is told how a mentee names them', async () => {
      expect(await summaryHandlers.mentees(ctx('UBEN'))).toBe(
        'Nobody has named you as their mentor yet. They can with `/growth mentor @you`.',
      );
    });

    it('lists current mentees with level, pause and a shared request for help; a private one asks nothing', async () => {
      await setMentor(d.db, TEAM, 'UBEN', 'UMO', day(2));
      await d.db.updateTable('members').set({ status: 'paused' }).where('user_id', '=', 'UBEN').execute();
      // Ben's only request for help is just for him: nobody else sees it as one.
      await checkin('BEN-PRIVATE-HELP', {
        at: day(6),
        competencyId: 'junior-c1',
        name: 'one',
        help: true,
        private: true,
        user: 'UBEN',
      });
      const r = await summaryHandlers.mentees(ctx('UMO'));
      expect(r).toBe(
        [
          '*Your mentees* (2)',
          '• <@UANA> · junior · :hourglass_flowing_sand: no check-in yet this week · streak 1 wk · 1/4 of the last 4 weeks · 1/7 of the last 12 · :sos: asked for help',
          '• <@UBEN> · junior · paused · :hourglass_flowing_sand: no check-in yet this week · streak 0 wks · 0/4 of the last 4 weeks · 0/7 of the last 12',
          '',
          'Details: `/growth summary @name`.',
        ].join('\n'),
      );
    });

    it('too many for one reply: those who asked for help first, how many more, and the whole list as a file', async () => {
      const many = await seedMembers(d.db, 40, { prefix: 'L' });
      await d.db
        .insertInto('mentorships')
        .values(many.map((id) => ({ team_id: TEAM, mentee_id: id, mentor_id: 'UOLD', started_at: day(1) })))
        .execute();
      // The last of them (by id, the order of the list) asked for help.
      const last = many.at(-1)!;
      await checkin('LATE-HELP', { at: day(6), competencyId: 'junior-c1', name: 'one', help: true, user: last });
      const r = await summaryHandlers.mentees(ctx('UOLD'));
      if (typeof r === 'string') throw new Error('a list this long comes with a file');
      expect(r.text.length).toBeLessThanOrEqual(REPLY_MAX_CHARS);
      const lines = r.text.split('\n');
      expect(lines[0]).toBe('*Your mentees* (40)');
      expect(lines[1]).toMatch(new RegExp(`^• <@${last}> · junior · .* · :sos: asked for help$`));
      expect(lines[2]).toMatch(new RegExp(`^• <@${many[0]}> · junior · `));
      const shown = many.filter((id) => r.text.includes(`<@${id}>`)).length;
      expect(shown).toBeLessThan(40);
      expect(r.text).toContain(`…and ${40 - shown} more: the whole list is on its way as a file in our DM.`);
      expect(lines.at(-1)).toBe('Details: `/growth summary @name`.');

      expect(uploads.files).toEqual([]);
      await r.after!();
      expect(uploads.opened).toEqual([{ users: 'UOLD' }]);
      expect(uploads.files).toHaveLength(1);
      const file = uploads.files[0] as {
        channel_id: string;
        initial_comment: string;
        file_uploads: { file: Buffer; filename: string; title: string }[];
      };
      expect(file.channel_id).toBe('D0DM');
      expect(file.file_uploads[0]!.filename).toBe('growthbot-mentees-2026-12-08.txt');
      expect(file.file_uploads[0]!.title).toBe('Your mentees (40)');
      const content = file.file_uploads[0]!.file.toString('utf8').split('\n');
      expect(content[0]).toBe('Your mentees (40)');
      expect(content[1]).toMatch(new RegExp(`^• <@${last}> · .*:sos: asked for help$`));
      expect(content).toHaveLength(41);
      for (const id of many) expect(content.filter((l) => l.startsWith(`• <@${id}> `))).toHaveLength(1);
    });
  });
});
