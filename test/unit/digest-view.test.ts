import { beforeAll, describe, expect, it } from 'vitest';
import type { Checkin, Member, Nudge } from '../../src/db/schema.ts';
import { type CompetencyStat, type HelpRequest, type Progress, progressOf } from '../../src/growth/progress.ts';
import { previousWeek } from '../../src/growth/schedule.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { type DigestMentee, digestMessage } from '../../src/outbound/views/digest.ts';
import { type HomeInput, homeView } from '../../src/outbound/views/home.ts';
import { loadRubrics } from '../../src/rubrics/load.ts';
import { LEVELS, type Level, type Rubrics } from '../../src/rubrics/schema.ts';

let rubrics: Rubrics;
beforeAll(async () => {
  rubrics = await loadRubrics('rubrics');
});
const nameOf = (id: string | null) => (id ? (rubrics.byId.get(id)?.name ?? id) : 'no competency');

const DAY_MS = 24 * 3600 * 1000;
const NOW = new Date('2026-12-10T12:00:00Z'); // Thursday of 2026-W50
const WEEK = '2026-W50';
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY_MS);
const weeks = (...ns: number[]) => ns.map((n) => previousWeek(WEEK, n));

/** What a mentee might paste: markup, fake mentions and broadcasts, newlines; 3000 characters. */
const CHUNK =
  'Paged at 3am; told <!channel> & <@U123> that p99 > 2s and errors < 1%, see <https://evil.example|this>.\n';
const LONG = CHUNK.repeat(40).slice(0, 3000);
const SHORT = 'Rolled back a bad deploy & wrote it up for <!here>';

// ---- Slack block helpers (blocks are checked structurally, as Slack would) ----

interface TextObj {
  type: string;
  text: string;
}
interface Element {
  type: string;
  text?: string | TextObj;
  action_id?: string;
  value?: string;
}
interface Block {
  type: string;
  block_id?: string;
  text?: TextObj;
  elements?: Element[];
}
const asBlocks = (blocks: readonly unknown[]) => blocks as Block[];
const sectionTexts = (blocks: readonly unknown[]) =>
  asBlocks(blocks)
    .filter((b) => b.type === 'section')
    .map((b) => b.text!.text);
const contextTexts = (blocks: readonly unknown[]) =>
  asBlocks(blocks)
    .filter((b) => b.type === 'context')
    .flatMap((b) => b.elements!.map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? ''))));
const buttons = (blocks: readonly unknown[]) =>
  asBlocks(blocks)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements!)
    .filter((e) => e.type === 'button');
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Slack's documented limits for blocks in messages and views. */
function expectWithinSlackLimits(blocks: readonly unknown[], maxBlocks: number): void {
  const all = asBlocks(blocks);
  expect(all.length).toBeGreaterThan(0);
  expect(all.length).toBeLessThanOrEqual(maxBlocks);
  const ids = all.map((b) => b.block_id).filter((id): id is string => id !== undefined);
  expect(new Set(ids).size, 'block_ids are unique').toBe(ids.length);
  for (const id of ids) expect(id.length).toBeLessThanOrEqual(255);
  for (const b of all) {
    if (b.type === 'section') {
      expect(b.text!.text.length).toBeGreaterThan(0);
      expect(b.text!.text.length).toBeLessThanOrEqual(3000);
    } else if (b.type === 'header') {
      expect(b.text!.type).toBe('plain_text');
      expect(b.text!.text.length).toBeLessThanOrEqual(150);
    } else if (b.type === 'context') {
      expect(b.elements!.length).toBeLessThanOrEqual(10);
      for (const e of b.elements!) expect(String(e.text).length).toBeLessThanOrEqual(3000);
    } else if (b.type === 'actions') {
      expect(b.elements!.length).toBeLessThanOrEqual(25);
      for (const e of b.elements!) {
        expect((e.text as TextObj).text.length).toBeLessThanOrEqual(75);
        expect(e.action_id!.length).toBeLessThanOrEqual(255);
        expect((e.value ?? '').length).toBeLessThanOrEqual(2000);
      }
    } else {
      expect(b.type).toBe('divider');
    }
  }
}

/** Nothing a person typed gets through as a mention, broadcast or link; it shows as text. */
function expectNoRawUserMarkup(json: string): void {
  expect(json).not.toContain('<!channel>');
  expect(json).not.toContain('<!here>');
  expect(json).not.toContain('<@U123>');
  expect(json).not.toContain('<https://evil');
}

// ---- Mentees built through progressOf ----

interface Spec {
  id: string;
  level?: Level;
  answered?: boolean;
  /** A help request (only shared ones reach a mentor's digest). */
  help?: 'shared';
  latest?: string | null;
  paused?: boolean;
  falling?: boolean;
}

function progressFor(s: Spec): Progress {
  const level = s.level ?? 'junior';
  const mine = [...rubrics.levels[level].competencies, ...rubrics.shared.competencies];
  const competencies: CompetencyStat[] = mine.slice(0, 4).map((c, i) => ({
    competencyId: c.id,
    thisQuarter: i + 1,
    lastAt: daysAgo(3 + i * 15),
    latestRatedAt: daysAgo(3 + i * 15),
    latestRating: s.falling && i === 1 ? 2 : 3,
    previousRating: i === 0 ? null : 3,
  }));
  const helpRequests: HelpRequest[] = s.help
    ? [
        {
          checkinId: `help-${s.id}`,
          competencyId: mine[0]!.id,
          at: daysAgo(1),
          text: LONG,
        },
      ]
    : [];
  return progressOf(
    {
      level,
      now: NOW,
      currentWeek: WEEK,
      joinedWeek: previousWeek(WEEK, 20),
      checkinWeeks: s.answered ? weeks(0, 1, 2, 5) : weeks(1, 3, 4),
      pausedWeeks: s.paused ? weeks(2) : [],
      competencies,
      helpRequests,
    },
    rubrics,
  );
}

function mentee(s: Spec): DigestMentee {
  return {
    userId: s.id,
    level: s.level ?? 'junior',
    progress: progressFor(s),
    latest: s.latest
      ? { id: `c-${s.id}`, text: s.latest, competencyName: 'Observability literacy', at: daysAgo(1) }
      : null,
    paused: s.paused ?? false,
  };
}

/** `n` varied mentees, in a scrambled order; ids 'U00000000', 'U00000001', … */
function specs(n: number): Spec[] {
  const out = Array.from(
    { length: n },
    (_, i): Spec => ({
      id: `U${String(i).padStart(8, '0')}`,
      level: LEVELS[i % 4],
      answered: i % 3 !== 0,
      help: i % 7 === 0 || i % 11 === 0 ? 'shared' : undefined,
      latest: i % 2 ? LONG : i % 5 ? SHORT : null,
      paused: i % 13 === 5,
      falling: i % 4 === 1,
    }),
  );
  const scramble = (s: Spec) => (Number(s.id.slice(1)) * 2654435761) % 4294967296;
  return out.sort((a, b) => scramble(a) - scramble(b));
}

/** Help first, then no check-in this week, then the rest; by id within each group. */
function expectedOrder(list: readonly Spec[]): string[] {
  const rank = (s: Spec) => (s.help ? 0 : s.answered ? 2 : 1);
  return [...list].sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : 1)).map((s) => s.id);
}

const mentionsIn = (text: string) => [...text.matchAll(/<@(U\d{8})>/g)].map((m) => m[1]!);

describe.each([0, 1, 8, 9, 40, 69, 500])('digestMessage for %i mentees', (n) => {
  const list = () => specs(n);
  const digest = () => digestMessage(list().map(mentee), nameOf);

  it("stays within Slack's limits for a message", () => {
    expectWithinSlackLimits(digest().blocks, 50);
    expect(asBlocks(digest().blocks)[0]).toMatchObject({ type: 'header' });
  });

  it('has a plain-text fallback of at most 3000 characters', () => {
    const { text } = digest();
    expect(text.trim().length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).toContain(`${n} mentee`);
    expectNoRawUserMarkup(text);
  });

  it('shows what mentees wrote as text: escaped, never as mentions or broadcasts', () => {
    const json = JSON.stringify(digest());
    expectNoRawUserMarkup(json);
    if (n > 0) {
      expect(json).toContain('&lt;!channel&gt;');
      expect(json).toContain('&lt;@U123&gt;');
      expect(json).toContain(' &amp; ');
      expect(json).toContain('p99 &gt; 2s');
    }
  });

  it('quotes at most 200 characters of a check-in, on one line', () => {
    const quotes = sectionTexts(digest().blocks)
      .flatMap((t) => t.split('\n'))
      .filter((l) => l.startsWith('>'));
    if (n > 0) expect(quotes.length).toBeGreaterThan(0);
    for (const q of quotes) {
      const body = q.slice(1);
      expect(body).not.toMatch(/[<>]/);
      expect(body).not.toMatch(/&(?!(lt|gt|amp);)/);
      expect([...unescape(body)].length).toBeLessThanOrEqual(200);
    }
    // A newline in what they wrote does not spill the rest out of the quote.
    for (const t of sectionTexts(digest().blocks)) {
      for (const line of t.split('\n')) if (line.includes('Paged at')) expect(line.startsWith('>')).toBe(true);
    }
  });

  it('shows help requests first, then who has not checked in, then the rest', () => {
    const shown = sectionTexts(digest().blocks).flatMap(mentionsIn);
    expect(shown).toEqual(expectedOrder(list()).slice(0, 68));
  });

  it('details the first 8 mentees, gives the next 60 one line each, and counts the rest', () => {
    const texts = sectionTexts(digest().blocks);
    const detailed = texts.filter((t) => t.startsWith('*<@'));
    const oneLines = texts.flatMap((t) => t.split('\n')).filter((l) => l.startsWith('• <@'));
    expect(detailed).toHaveLength(Math.min(n, 8));
    expect(oneLines).toHaveLength(Math.max(0, Math.min(n - 8, 60)));
    for (const l of oneLines) expect(l).toMatch(/streak \d+ · \d+\/\d+ weeks/);
    const footer = contextTexts(digest().blocks).join('\n');
    if (n > 68) expect(footer).toContain(`…and ${n - 68} more`);
    else expect(footer).not.toContain('more on your Home tab');
    expect(footer).toContain('/growth summary');
  });
});

describe('digestMessage: what a mentor reads', () => {
  it('orders help requests, then missing check-ins, then the rest, whatever the input order', () => {
    const d = digestMessage(
      [
        mentee({ id: 'U00000004', answered: true }),
        mentee({ id: 'U00000003', answered: false }),
        mentee({ id: 'U00000002', answered: true, help: 'shared' }),
        mentee({ id: 'U00000001', answered: false }),
        mentee({ id: 'U00000005', answered: false, help: 'shared' }),
      ],
      nameOf,
    );
    expect(sectionTexts(d.blocks).flatMap(mentionsIn)).toEqual([
      'U00000002',
      'U00000005',
      'U00000001',
      'U00000003',
      'U00000004',
    ]);
    expect(contextTexts(d.blocks)[0]).toBe('5 mentees · 2 checked in this week · 2 asked for help');
  });

  it('a detailed mentee shows their level, week, help request, latest check-in, competencies and topics', () => {
    const [section] = sectionTexts(
      digestMessage(
        [mentee({ id: 'U00000001', level: 'mid', help: 'shared', latest: SHORT, falling: true, paused: true })],
        nameOf,
      ).blocks,
    );
    expect(section).toContain('*<@U00000001>* · mid · paused');
    expect(section).toContain(':hourglass_flowing_sand: no check-in yet this week');
    expect(section).toContain(':sos: *Asked for help* with SLO-driven thinking on 2026-12-09');
    expect(section).toContain(
      'Latest (Observability literacy, 2026-12-09):\n>Rolled back a bad deploy &amp; wrote it up for &lt;!here&gt;',
    );
    expect(section).toContain('SLO-driven thinking');
    expect(section).toContain('Toward senior: ');
    expect(section).toContain('*Talk about:*');
    expect(section).toContain('self-rating fell from 3 to 2');
  });

  it('a long check-in is cut to 200 characters with an ellipsis', () => {
    const [section] = sectionTexts(digestMessage([mentee({ id: 'U00000001', latest: LONG })], nameOf).blocks);
    const q = section!.split('\n').find((l) => l.startsWith('>'))!;
    const shown = [...unescape(q.slice(1))];
    expect(shown).toHaveLength(200);
    expect(shown.at(-1)).toBe('…');
    expect(unescape(q.slice(1))).toContain('Paged at 3am; told <!channel> & <@U123> that p99 > 2s');
  });

  it('a shared help request is quoted under the request', () => {
    const [section] = sectionTexts(
      digestMessage([mentee({ id: 'U00000001', help: 'shared', latest: null })], nameOf).blocks,
    );
    const lines = section!.split('\n');
    const i = lines.findIndex((l) => l.startsWith(':sos:'));
    expect(lines[i + 1]).toMatch(/^>Paged at 3am; told &lt;!channel&gt; &amp; &lt;@U123&gt;/);
  });

  it('with no shared check-in there is no "Latest" line', () => {
    const [section] = sectionTexts(digestMessage([mentee({ id: 'U00000001', latest: null })], nameOf).blocks);
    expect(section).not.toContain('Latest');
    expect(section).not.toMatch(/^>/m);
  });

  it('the 9th mentee gets one line, not a quote', () => {
    const list = Array.from({ length: 9 }, (_, i) => mentee({ id: `U0000000${i}`, answered: true, latest: SHORT }));
    const texts = sectionTexts(digestMessage(list, nameOf).blocks);
    expect(texts.at(-1)).toBe('• <@U00000008> · :white_check_mark: · streak 3 · 3/4 weeks');
    expect(texts.filter((t) => t.includes('<@U00000008>'))).toHaveLength(1);
  });

  it('68 mentees fit without "more"; the 69th is counted', () => {
    const make = (n: number) =>
      Array.from({ length: n }, (_, i) => mentee({ id: `U${String(i).padStart(8, '0')}`, answered: true }));
    expect(JSON.stringify(digestMessage(make(68), nameOf))).not.toContain('…and');
    expect(contextTexts(digestMessage(make(69), nameOf).blocks).at(-1)).toMatch(/^…and 1 more on your Home tab/);
  });
});

// ---- Home ----

const member = (over: Partial<Member> = {}): Member & { level: Level } => ({
  teamId: 'T1',
  userId: 'UME000001',
  displayName: null,
  tz: 'Europe/Paris',
  tzCheckedAt: null,
  promptWeekday: 1,
  promptMinute: 600,
  status: 'active',
  pausedUntil: null,
  joinedAt: daysAgo(100),
  joinHintAt: null,
  leftAt: null,
  createdAt: daysAgo(100),
  updatedAt: daysAgo(100),
  ...over,
  level: 'mid',
});

const nudge = (over: Partial<Nudge> = {}): Nudge => ({
  id: '4242',
  teamId: 'T1',
  userId: 'UME000001',
  week: WEEK,
  level: 'mid',
  competencyId: 'slo-thinking',
  promptId: 'slo-thinking-1',
  promptText: 'Pick one service you touch. What is its SLO, and how close is it to the error budget?',
  outcome: 'open',
  createdAt: daysAgo(3),
  updatedAt: daysAgo(3),
  ...over,
});

const checkin = (id: string, over: Partial<Checkin> = {}): Checkin => ({
  id,
  teamId: 'T1',
  userId: 'UME000001',
  competencyId: 'slo-thinking',
  competencyName: null,
  text: `Check-in ${id}: defined an SLO for checkout.`,
  rating: 3,
  needsHelp: false,
  evidenceUrl: null,
  private: false,
  source: 'modal',
  nudgeId: null,
  idempotencyKey: `k-${id}`,
  messageChannel: null,
  messageTs: null,
  createdAt: daysAgo(Number(id) % 30),
  updatedAt: daysAgo(Number(id) % 30),
  ...over,
});

function home(over: Partial<HomeInput> = {}): HomeInput {
  return {
    member: member(),
    progress: progressFor({ id: 'UME000001', level: 'mid', answered: false, help: 'shared', falling: true }),
    nudge: nudge(),
    recent: [],
    editable: new Set(),
    mentees: [],
    nameOf,
    ...over,
  };
}

const homeMentees = (n: number) =>
  specs(n).map((s) => ({
    userId: s.id,
    level: s.level!,
    paused: s.paused ?? false,
    progress: progressFor(s),
  }));

describe('homeView', () => {
  it('welcomes someone who has not joined, naming /growth join', () => {
    const v = homeView(home({ member: null, progress: null, nudge: null }));
    expectWithinSlackLimits(v.blocks, 100);
    const text = sectionTexts(v.blocks).join('\n');
    expect(text).toContain('Welcome to growthbot');
    expect(text).toContain('/growth join');
    expect(buttons(v.blocks)).toEqual([]);
    expect(JSON.stringify(v)).not.toContain('Your mentees');
  });

  it("shows this week's open prompt with an Answer button for it", () => {
    const v = homeView(home());
    expectWithinSlackLimits(v.blocks, 100);
    expect(sectionTexts(v.blocks).join('\n')).toContain(
      "*This week's prompt* (SLO-driven thinking)\nPick one service you touch.",
    );
    const answer = buttons(v.blocks).filter((b) => b.action_id === IDS.nudge.answer);
    expect(answer).toHaveLength(1);
    expect(answer[0]).toMatchObject({ value: '4242', text: { text: 'Answer' } });
    expect(buttons(v.blocks).map((b) => b.action_id)).toEqual(
      expect.arrayContaining([IDS.home.checkin, IDS.home.schedule, IDS.home.pause]),
    );
  });

  it('an answered prompt says so and has no Answer button', () => {
    const v = homeView(home({ nudge: nudge({ outcome: 'answered' }) }));
    expect(sectionTexts(v.blocks).join('\n')).toContain('· answered');
    expect(buttons(v.blocks).some((b) => b.action_id === IDS.nudge.answer)).toBe(false);
  });

  it('without a prompt this week there is no Answer button', () => {
    const v = homeView(home({ nudge: null }));
    expect(buttons(v.blocks).some((b) => b.action_id === IDS.nudge.answer)).toBe(false);
  });

  it('shows their progress: headline, competencies and what to raise', () => {
    const text = sectionTexts(homeView(home()).blocks).join('\n');
    expect(text).toContain('no check-in yet this week · streak 1 wk · 2/4 of the last 4 weeks');
    expect(text).toContain('Infrastructure as code');
    expect(text).toContain('Writing clearly');
    expect(text).toContain('Toward senior:');
    expect(text).toContain('*Worth raising at your next 1:1*');
    expect(text).toContain('Help with SLO-driven thinking');
  });

  it('editable check-ins get Edit and Delete buttons for that check-in; older ones do not', () => {
    const recent = [checkin('11'), checkin('12', { private: true, needsHelp: true }), checkin('13', { rating: null })];
    const v = homeView(home({ recent, editable: new Set(['11', '13']) }));
    expectWithinSlackLimits(v.blocks, 100);
    const edits = buttons(v.blocks).filter((b) => b.action_id === IDS.editCheckin);
    const deletes = buttons(v.blocks).filter((b) => b.action_id === IDS.deleteCheckin);
    expect(edits.map((b) => b.value)).toEqual(['11', '13']);
    expect(deletes.map((b) => b.value)).toEqual(['11', '13']);
    expect(edits[0]!.text).toMatchObject({ text: 'Edit' });
    expect(deletes[0]!.text).toMatchObject({ text: 'Delete' });
    // Each check-in's buttons sit right under it.
    const all = asBlocks(v.blocks);
    const at = (s: string) => all.findIndex((b) => b.type === 'section' && b.text!.text.includes(`Check-in ${s}:`));
    expect(all[at('11') + 1]!.type).toBe('actions');
    expect(all[at('12') + 1]!.type).toBe('section');
    expect(sectionTexts(v.blocks).find((t) => t.includes('Check-in 12:'))).toContain('asked for help · just for you');
  });

  it('shows their own check-in text escaped', () => {
    const v = homeView(home({ recent: [checkin('21', { text: LONG })], editable: new Set(['21']) }));
    expectWithinSlackLimits(v.blocks, 100);
    const json = JSON.stringify(v);
    expectNoRawUserMarkup(json);
    expect(json).toContain('told &lt;!channel&gt; &amp; &lt;@U123&gt;');
  });

  it.each([0, 1, 40, 200])('a mentor with %i mentees stays within 100 blocks and lists them', (n) => {
    const recent = ['1', '2', '3', '4', '5'].map((id) => checkin(id, { text: LONG }));
    const v = homeView(home({ recent, editable: new Set(recent.map((c) => c.id)), mentees: homeMentees(n) }));
    expectWithinSlackLimits(v.blocks, 100);
    expectNoRawUserMarkup(JSON.stringify(v));
    const headers = asBlocks(v.blocks)
      .filter((b) => b.type === 'header')
      .map((b) => b.text!.text);
    if (n === 0) {
      expect(headers).toEqual(['Your growth']);
      return;
    }
    expect(headers).toEqual(['Your growth', `Your mentees (${n})`]);
    // Every listed mentee line is whole: mention, level and headline, none cut by a section limit.
    const lines = sectionTexts(v.blocks)
      .flatMap((t) => t.split('\n'))
      .filter((l) => l.startsWith('• <@'));
    expect(lines).toHaveLength(Math.min(n, 60));
    for (const l of lines)
      expect(l).toMatch(
        /^• <@U\d{8}> · (junior|mid|senior|staff)( · paused)? · .* of the last 12( · :sos: asked for help)?$/,
      );
    expect(new Set(lines.flatMap(mentionsIn)).size).toBe(Math.min(n, 60));
    const footer = contextTexts(v.blocks).at(-1)!;
    if (n > 60) expect(footer).toContain('Showing 60.');
    else expect(footer).not.toContain('Showing');
    expect(footer).toContain('/growth summary @name');
    // The member's own part is all still there.
    expect(buttons(v.blocks).filter((b) => b.action_id === IDS.editCheckin)).toHaveLength(5);
    expect(buttons(v.blocks).some((b) => b.action_id === IDS.nudge.answer)).toBe(true);
  });

  it('a mentor who has not joined still sees their mentees under the welcome', () => {
    const v = homeView(home({ member: null, progress: null, nudge: null, mentees: homeMentees(3) }));
    expectWithinSlackLimits(v.blocks, 100);
    expect(sectionTexts(v.blocks)[0]).toContain('/growth join');
    expect(asBlocks(v.blocks).some((b) => b.type === 'header' && b.text!.text === 'Your mentees (3)')).toBe(true);
  });
});

describe('a mentee with more help requests than the digest quotes', () => {
  it('quotes two, names the rest, and offers I’ll help on every one nobody offered help on yet', () => {
    const m = mentee({ id: 'U00000001', help: 'shared' });
    const [a, b, c] = [...rubrics.levels.junior.competencies, ...rubrics.shared.competencies];
    const request = (id: string, competencyId: string, days: number, offeredBy: string | null = null) => ({
      checkinId: id,
      competencyId,
      at: daysAgo(days),
      text: `help with ${id}`,
      offeredBy,
      offeredAt: offeredBy ? daysAgo(0) : null,
    });
    m.progress.openHelp = [
      request('h1', a!.id, 1),
      request('h2', b!.id, 2),
      request('h3', c!.id, 3),
      request('h4', a!.id, 4, 'U0MENTOR'),
    ];
    const d = digestMessage([m], nameOf, undefined, NOW);
    const text = sectionTexts(d.blocks).join('\n');
    expect(text).toContain('>help with h1');
    expect(text).toContain('>help with h2');
    expect(text).not.toContain('>help with h3');
    expect(text).toContain(
      `:sos: Also asked for help with ${c!.name} (${daysAgo(3).toISOString().slice(0, 10)}), ${a!.name}`,
    );
    const offers = buttons(d.blocks).filter((x) => x.action_id!.startsWith(IDS.mentoring.offerHelp));
    expect(offers.map((x) => x.value)).toEqual(['h1', 'h2', 'h3']);
  });
});
