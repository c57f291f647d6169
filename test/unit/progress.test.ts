import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CompetencyStat,
  type HelpRequest,
  type Progress,
  type ProgressInput,
  progressByMember,
  progressOf,
} from '../../src/growth/progress.ts';
import { localWeek, previousWeek } from '../../src/growth/schedule.ts';
import { loadRubrics } from '../../src/rubrics/load.ts';
import type { Level, Rubrics } from '../../src/rubrics/schema.ts';

let rubrics: Rubrics;
beforeAll(async () => {
  rubrics = await loadRubrics('rubrics');
});

const DAY_MS = 24 * 3600 * 1000;
/** Thursday noon UTC of ISO week 2026-W50. */
const NOW = new Date('2026-12-10T12:00:00Z');
const WEEK = '2026-W50';
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY_MS);
/** Weeks `n` weeks before this one (0 = this week). */
const weeks = (...ns: number[]) => ns.map((n) => previousWeek(WEEK, n));

const JUNIOR = ['incident-response', 'observability', 'automation-basics', 'security-basics'];
const SHARED = ['writing-clearly', 'staying-current', 'customer-empathy'];

function input(over: Partial<ProgressInput> = {}): ProgressInput {
  return {
    level: 'junior',
    now: NOW,
    currentWeek: WEEK,
    joinedWeek: previousWeek(WEEK, 40),
    checkinWeeks: [],
    pausedWeeks: [],
    competencies: [],
    helpRequests: [],
    ...over,
  };
}

/** By default the latest rating was given with the latest check-in. */
function stat(competencyId: string, over: Partial<CompetencyStat> = {}): CompetencyStat {
  const base = { competencyId, thisQuarter: 1, lastAt: daysAgo(3), latestRating: null, previousRating: null, ...over };
  return { latestRatedAt: base.latestRating === null ? null : base.lastAt, ...base };
}

function help(
  competencyId: string | null,
  at: Date,
  text = 'I am stuck',
  checkinId = `h-${competencyId}-${at.getTime()}`,
): HelpRequest {
  return { checkinId, competencyId, at, text };
}

const run = (over: Partial<ProgressInput> = {}): Progress => progressOf(input(over), rubrics);

/** Every coverage competency practised recently with a steady rating: nothing untouched, nothing falling. */
const allRecent = (level: Level = 'junior') =>
  [...rubrics.levels[level].competencies, ...rubrics.shared.competencies].map((c) =>
    stat(c.id, { lastAt: daysAgo(2), latestRating: 3, previousRating: 3 }),
  );

describe('progressOf: week counts and streak', () => {
  it('the test clock is in 2026-W50', () => {
    expect(localWeek(NOW, 'UTC')).toBe(WEEK);
  });

  it('counts consecutive weeks ending this week', () => {
    const p = run({ checkinWeeks: weeks(0, 1, 2, 3, 4, 7) });
    expect(p.streak).toBe(5);
    expect(p.answeredThisWeek).toBe(true);
  });

  it('while this week has no check-in yet, the streak ending last week still stands', () => {
    const p = run({ checkinWeeks: weeks(1, 2, 3) });
    expect(p.streak).toBe(3);
    expect(p.answeredThisWeek).toBe(false);
  });

  it('is 0 when neither this week nor last week has a check-in', () => {
    expect(run({ checkinWeeks: weeks(2, 3, 4, 5) }).streak).toBe(0);
    expect(run().streak).toBe(0);
  });

  it('a paused week in the middle neither breaks nor extends it', () => {
    expect(run({ checkinWeeks: weeks(0, 1, 3, 4), pausedWeeks: weeks(2) }).streak).toBe(4);
    expect(run({ checkinWeeks: weeks(0, 3, 4), pausedWeeks: weeks(1, 2) }).streak).toBe(3);
  });

  it('a gap week that was not paused breaks it', () => {
    expect(run({ checkinWeeks: weeks(0, 1, 3, 4) }).streak).toBe(2);
  });

  it('a paused last week bridges to the weeks before while this week is still open', () => {
    expect(run({ checkinWeeks: weeks(2, 3), pausedWeeks: weeks(1) }).streak).toBe(2);
    expect(run({ checkinWeeks: weeks(1, 2), pausedWeeks: weeks(0) }).streak).toBe(2);
  });

  it('runs across a 53-week year into the next one', () => {
    const now = new Date('2027-01-06T12:00:00Z');
    expect(localWeek(now, 'UTC')).toBe('2027-W01');
    const p = progressOf(
      input({ now, currentWeek: '2027-W01', checkinWeeks: ['2027-W01', '2026-W53', '2026-W52', '2026-W50'] }),
      rubrics,
    );
    expect(p.streak).toBe(3);
  });

  it('last 4 and last 12 weeks count weeks with a check-in out of the weeks that count', () => {
    const p = run({ checkinWeeks: weeks(0, 1, 2, 3, 5, 10, 12, 20) });
    expect(p.last4).toEqual({ weeks: 4, of: 4 });
    expect(p.last12).toEqual({ weeks: 6, of: 12 });
  });

  it('weeks before joining count in neither number', () => {
    const p = run({ joinedWeek: previousWeek(WEEK, 2), checkinWeeks: weeks(0, 2, 6) });
    expect(p.last4).toEqual({ weeks: 2, of: 3 });
    expect(p.last12).toEqual({ weeks: 2, of: 3 });
  });

  it('someone who joined this week and has not answered is 0 of 1, not 0 of 4', () => {
    const p = run({ joinedWeek: WEEK });
    expect(p.last4).toEqual({ weeks: 0, of: 1 });
    expect(p.last12).toEqual({ weeks: 0, of: 1 });
  });

  it('paused weeks count in neither number', () => {
    const p = run({ checkinWeeks: weeks(0, 3, 8), pausedWeeks: weeks(1, 2, 9) });
    expect(p.last4).toEqual({ weeks: 2, of: 2 });
    expect(p.last12).toEqual({ weeks: 3, of: 9 });
  });

  it('without a join week every week counts', () => {
    const p = run({ joinedWeek: null, checkinWeeks: weeks(1) });
    expect(p.last4).toEqual({ weeks: 1, of: 4 });
    expect(p.last12).toEqual({ weeks: 1, of: 12 });
  });
});

describe('progressOf: coverage', () => {
  it("lists the level's own competencies, then the three shared ones, in rubric order", () => {
    expect(run().coverage.map((r) => r.competency.id)).toEqual([...JUNIOR, ...SHARED]);
    expect(run({ level: 'mid' }).coverage.map((r) => r.competency.id)).toEqual([
      'slo-thinking',
      'infrastructure-as-code',
      'production-debugging',
      'oncall-ownership',
      'security-in-code',
      'deploy-safety',
      ...SHARED,
    ]);
    expect(run().coverage[0]!.competency.name).toBe('Incident response fundamentals');
  });

  it('shows counts this quarter, the latest rating and its trend', () => {
    const last = daysAgo(4);
    const p = run({
      competencies: [
        stat('incident-response', { thisQuarter: 3, lastAt: last, latestRating: 4, previousRating: 2 }),
        stat('observability', { thisQuarter: 2, latestRating: 2, previousRating: 3 }),
        stat('automation-basics', { thisQuarter: 5, latestRating: 3, previousRating: 3 }),
        stat('writing-clearly', { thisQuarter: 1, latestRating: 2 }),
        stat('staying-current', { thisQuarter: 1 }),
        stat('slo-thinking', { thisQuarter: 7, latestRating: 5, previousRating: 1 }),
      ],
    });
    const rows = Object.fromEntries(
      p.coverage.map((r) => [r.competency.id, { n: r.thisQuarter, rating: r.latestRating, trend: r.trend }]),
    );
    expect(rows).toEqual({
      'incident-response': { n: 3, rating: 4, trend: 'up' },
      observability: { n: 2, rating: 2, trend: 'down' },
      'automation-basics': { n: 5, rating: 3, trend: 'flat' },
      'security-basics': { n: 0, rating: null, trend: 'none' },
      'writing-clearly': { n: 1, rating: 2, trend: 'new' },
      'staying-current': { n: 1, rating: null, trend: 'none' },
      'customer-empathy': { n: 0, rating: null, trend: 'none' },
    });
    expect(p.coverage[0]!.lastAt).toEqual(last);
    expect(p.coverage.at(-1)!.lastAt).toBeNull();
  });
});

describe('progressOf: open help requests', () => {
  it('a later check-in on the same competency rated 3 or more closes it', () => {
    const p = run({
      helpRequests: [help('observability', daysAgo(10))],
      competencies: [stat('observability', { lastAt: daysAgo(3), latestRating: 3 })],
    });
    expect(p.openHelp).toEqual([]);
  });

  it('stays open when the later check-ins are unrated, even after an older high rating', () => {
    const p = run({
      helpRequests: [help('observability', daysAgo(10))],
      competencies: [stat('observability', { lastAt: daysAgo(3), latestRating: 4, latestRatedAt: daysAgo(20) })],
    });
    expect(p.openHelp.map((h) => h.competencyId)).toEqual(['observability']);
  });

  it('stays open when the later check-in is rated below 3', () => {
    const p = run({
      helpRequests: [help('observability', daysAgo(10))],
      competencies: [stat('observability', { lastAt: daysAgo(3), latestRating: 2 })],
    });
    expect(p.openHelp.map((h) => h.competencyId)).toEqual(['observability']);
  });

  it('stays open when the help request itself is the latest check-in, whatever its rating', () => {
    const at = daysAgo(5);
    const p = run({
      helpRequests: [help('observability', at)],
      competencies: [stat('observability', { lastAt: at, latestRating: 4 })],
    });
    expect(p.openHelp).toHaveLength(1);
  });

  it('a check-in on another competency does not close it', () => {
    const p = run({
      helpRequests: [help('observability', daysAgo(10))],
      competencies: [stat('incident-response', { lastAt: daysAgo(1), latestRating: 5 })],
    });
    expect(p.openHelp).toHaveLength(1);
  });

  it('a request without a competency stays open', () => {
    const p = run({
      helpRequests: [help(null, daysAgo(10))],
      competencies: [stat('observability', { lastAt: daysAgo(1), latestRating: 5 })],
    });
    expect(p.openHelp).toHaveLength(1);
  });

  it('lists the newest first', () => {
    const p = run({
      helpRequests: [
        help('observability', daysAgo(20), 'old'),
        help('automation-basics', daysAgo(2), 'newest'),
        help(null, daysAgo(9), 'middle'),
      ],
    });
    expect(p.openHelp.map((h) => h.text)).toEqual(['newest', 'middle', 'old']);
  });
});

describe('progressOf: readiness for the next level', () => {
  it.each([
    ['junior', 'mid'],
    ['mid', 'senior'],
    ['senior', 'staff'],
  ] as const)('%s looks at the %s competencies', (level, next) => {
    const r = run({ level }).readiness!;
    expect(r.nextLevel).toBe(next);
    expect(r.of).toBe(rubrics.levels[next].competencies.length);
    expect(r.ready).toBe(0);
    expect(r.competencies.map((c) => c.competency.id)).toEqual(rubrics.levels[next].competencies.map((c) => c.id));
  });

  it('is null for staff, the top of the ladder', () => {
    expect(run({ level: 'staff' }).readiness).toBeNull();
  });

  it('counts next-level competencies whose latest rating is 3 or more', () => {
    const r = run({
      competencies: [
        stat('slo-thinking', { latestRating: 3, previousRating: 1 }),
        stat('infrastructure-as-code', { latestRating: 2, previousRating: 4 }),
        stat('production-debugging', { latestRating: 5 }),
        stat('incident-response', { latestRating: 5 }),
      ],
    }).readiness!;
    expect(r.ready).toBe(2);
    expect(r.competencies.map((c) => [c.competency.id, c.ready])).toEqual([
      ['slo-thinking', true],
      ['infrastructure-as-code', false],
      ['production-debugging', true],
      ['oncall-ownership', false],
      ['security-in-code', false],
      ['deploy-safety', false],
    ]);
  });

  it('high ratings on their own level do not make someone ready for the next', () => {
    expect(run({ competencies: allRecent().map((s) => ({ ...s, latestRating: 5 })) }).readiness!.ready).toBe(0);
  });
});

describe('progressOf: topics for the next 1:1', () => {
  it('for someone who never checked in: the first three competencies, not practised yet', () => {
    expect(run().topics.map(({ competencyId: _c, ...t }) => t)).toEqual([
      { kind: 'untouched', text: 'Incident response fundamentals', reason: 'not practised yet' },
      { kind: 'untouched', text: 'Observability literacy', reason: 'not practised yet' },
      { kind: 'untouched', text: 'Automation basics', reason: 'not practised yet' },
    ]);
  });

  it('nothing to raise when everything is recent, steady and nobody asked for help', () => {
    expect(run({ competencies: allRecent() }).topics).toEqual([]);
  });

  it('help first, then falling ratings, then untouched competencies', () => {
    const competencies = allRecent().map((s) =>
      s.competencyId === 'automation-basics'
        ? { ...s, latestRating: 2, previousRating: 4 }
        : s.competencyId === 'customer-empathy'
          ? { ...s, lastAt: daysAgo(45) }
          : s,
    );
    const p = run({ competencies, helpRequests: [help('slo-thinking', daysAgo(6))] });
    expect(p.topics.map(({ competencyId: _c, ...t }) => t)).toEqual([
      {
        kind: 'help',
        text: 'Help with SLO-driven thinking',
        reason: `asked for help on ${daysAgo(6).toISOString().slice(0, 10)}`,
      },
      { kind: 'falling', text: 'Automation basics', reason: 'self-rating fell from 4 to 2' },
      { kind: 'untouched', text: 'Customer empathy', reason: 'not practised for 45 days' },
    ]);
  });

  it('at most three, help requests crowding out the rest', () => {
    const p = run({
      competencies: allRecent().map((s) => ({ ...s, latestRating: 1, previousRating: 4 })),
      helpRequests: [help('observability', daysAgo(3)), help('writing-clearly', daysAgo(4))],
    });
    expect(p.topics.map((t) => t.kind)).toEqual(['help', 'help', 'falling']);
    expect(p.topics[2]!.text).toBe('Incident response fundamentals');
  });

  it('untouched means 28 days or more: 27 days is not raised', () => {
    const competencies = allRecent().map((s) => {
      if (s.competencyId === 'incident-response') return { ...s, lastAt: daysAgo(27) };
      if (s.competencyId === 'observability') return { ...s, lastAt: daysAgo(28) };
      return s;
    });
    expect(run({ competencies }).topics.map(({ competencyId: _c, ...t }) => t)).toEqual([
      { kind: 'untouched', text: 'Observability literacy', reason: 'not practised for 28 days' },
    ]);
  });

  it('the longest untouched come first, never-practised before all', () => {
    const competencies = allRecent().map((s) => {
      if (s.competencyId === 'observability') return { ...s, lastAt: daysAgo(28) };
      if (s.competencyId === 'writing-clearly') return { ...s, lastAt: daysAgo(90) };
      return s;
    });
    const p = run({ competencies: competencies.filter((s) => s.competencyId !== 'customer-empathy') });
    expect(p.topics.map((t) => [t.text, t.reason])).toEqual([
      ['Customer empathy', 'not practised yet'],
      ['Writing clearly', 'not practised for 90 days'],
      ['Observability literacy', 'not practised for 28 days'],
    ]);
  });

  it('a competency that is both falling and long untouched is raised once, as falling', () => {
    const competencies = allRecent().map((s) =>
      s.competencyId === 'staying-current' ? { ...s, lastAt: daysAgo(60), latestRating: 1, previousRating: 3 } : s,
    );
    const p = run({ competencies });
    expect(p.topics.map(({ competencyId: _c, ...t }) => t)).toEqual([
      { kind: 'falling', text: 'Staying current', reason: 'self-rating fell from 3 to 1' },
    ]);
  });

  it('two help requests on the same competency make one topic, and the slot goes to the next one', () => {
    const competencies = allRecent().map((s) =>
      s.competencyId === 'observability' ? { ...s, latestRating: 1, previousRating: 1 } : s,
    );
    const p = run({
      competencies: competencies.filter((s) => s.competencyId !== 'customer-empathy'),
      helpRequests: [help('observability', daysAgo(5)), help('observability', daysAgo(9))],
    });
    expect(p.openHelp).toHaveLength(2);
    expect(p.topics.map((t) => t.text)).toEqual(['Help with Observability literacy', 'Customer empathy']);
    expect(new Set(p.topics.map((t) => t.text)).size).toBe(p.topics.length);
  });

  it('never lists the same topic twice, whatever the mix', () => {
    for (let seed = 0; seed < 50; seed++) {
      const ids = [...JUNIOR, ...SHARED, 'slo-thinking'];
      const competencies = ids
        .filter((_, i) => (seed >> i) % 3 !== 0)
        .map((id, i) =>
          stat(id, {
            lastAt: daysAgo((seed * 7 + i * 13) % 70),
            latestRating: ((seed + i) % 5) + 1,
            previousRating: ((seed * 3 + i) % 5) + 1,
          }),
        );
      const helpRequests = ids.filter((_, i) => (seed + i) % 4 === 0).map((id, i) => help(id, daysAgo(i + 1)));
      const p = run({ competencies, helpRequests });
      expect(p.topics.length).toBeLessThanOrEqual(3);
      expect(new Set(p.topics.map((t) => t.text)).size).toBe(p.topics.length);
      const kinds = p.topics.map((t) => ['help', 'falling', 'untouched'].indexOf(t.kind));
      expect(kinds).toEqual([...kinds].sort((a, b) => a - b));
    }
  });
});

describe('progressByMember: a batch of members from one set of rows', () => {
  const ana = {
    teamId: 'T1',
    userId: 'U0ANA',
    tz: 'Pacific/Kiritimati',
    level: 'junior' as const,
    joinedAt: daysAgo(300),
  };
  const ben = { teamId: 'T1', userId: 'U0BEN', tz: 'UTC', level: 'mid' as const, joinedAt: daysAgo(300) };
  const cat = { teamId: 'T2', userId: 'U0ANA', tz: 'UTC', level: 'junior' as const, joinedAt: null };

  it('gives each member only their own rows, weeks in their own timezone, and nothing to someone without rows', () => {
    // Sunday 23:00 UTC: already Monday of the next week in Kiritimati (UTC+14).
    const now = new Date('2026-12-13T23:00:00Z');
    const p = progressByMember(
      rubrics,
      [ana, ben, cat],
      {
        checkinWeeks: [
          { teamId: 'T1', userId: 'U0ANA', week: '2026-W51' },
          { teamId: 'T1', userId: 'U0BEN', week: '2026-W50' },
        ],
        pausedWeeks: [],
        competencies: [
          {
            teamId: 'T1',
            userId: 'U0BEN',
            ...stat('slo-thinking', { lastAt: now, latestRating: 2, previousRating: 3 }),
          },
        ],
        helpRequests: [{ teamId: 'T1', userId: 'U0ANA', ...help('observability', now) }],
      },
      now,
    );
    expect([...p.keys()]).toEqual(['T1|U0ANA', 'T1|U0BEN', 'T2|U0ANA']);
    expect(p.get('T1|U0ANA')!.answeredThisWeek).toBe(true);
    expect(p.get('T1|U0BEN')!.answeredThisWeek).toBe(true);
    expect(p.get('T1|U0ANA')!.openHelp.map((h) => h.competencyId)).toEqual(['observability']);
    expect(p.get('T1|U0BEN')!.coverage.find((r) => r.competency.id === 'slo-thinking')!.trend).toBe('down');
    const none = p.get('T2|U0ANA')!;
    expect([none.answeredThisWeek, none.streak, none.openHelp.length]).toEqual([false, 0, 0]);
  });
});
