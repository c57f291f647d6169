import type { Level, RubricCompetency, Rubrics } from '../rubrics/schema.ts';
import { competenciesFor, competencyNamer, nextLevel, stretchCompetencies } from './competencies.ts';
import { DAY_MS } from './durations.ts';
import { groupBy } from './group-by.ts';
import { memberKey, memberKeyOf } from './member-key.ts';
import { localWeek, previousWeek, weekIndex } from './schedule.ts';

/** What the database knows about one member, gathered in a few batch queries (see progressByMember). */
export interface ProgressInput {
  level: Level;
  now: Date;
  /** The member's local ISO week now. */
  currentWeek: string;
  /** The local week they joined; weeks before it do not count against them. */
  joinedWeek: string | null;
  /** Local weeks (last year) with at least one check-in. */
  checkinWeeks: readonly string[];
  /** Local weeks (last year) when their prompt was held back because they were paused. */
  pausedWeeks: readonly string[];
  /** One row per competency they ever checked in on. */
  competencies: readonly CompetencyStat[];
  /** Check-ins of the last four weeks where they asked for help, not yet marked resolved. */
  helpRequests: readonly HelpRequest[];
}

export interface CompetencyStat {
  competencyId: string;
  /** The name stored with the check-ins, for competencies no longer in the rubrics. */
  name?: string | null;
  thisQuarter: number;
  lastAt: Date | null;
  latestRating: number | null;
  /** When `latestRating` was given (ratings are optional, so not always `lastAt`). */
  latestRatedAt: Date | null;
  previousRating: number | null;
  /** The prompt of their latest check-in here that their mentor may read; null when none. */
  latestSharedPromptId?: string | null;
}

export interface HelpRequest {
  checkinId: string;
  competencyId: string | null;
  at: Date;
  /** Only check-ins the reader may see reach here: never a private one for anyone but its author. */
  text: string;
  /** The mentor who said "I'll help", and when. */
  offeredBy?: string | null;
  offeredAt?: Date | null;
}

export type Trend = 'up' | 'down' | 'flat' | 'new' | 'none';

export interface CoverageRow {
  competency: RubricCompetency;
  thisQuarter: number;
  lastAt: Date | null;
  latestRating: number | null;
  trend: Trend;
}

export interface Topic {
  kind: 'help' | 'falling' | 'untouched';
  text: string;
  reason: string;
  /** The competency it is about, when known (for the mentor's follow-up question). */
  competencyId?: string | null;
  /** The prompt they last answered on it in a check-in their mentor may read (its own follow-up is preferred). */
  promptId?: string | null;
}

export interface Readiness {
  nextLevel: Level;
  ready: number;
  of: number;
  competencies: { competency: RubricCompetency; ready: boolean }[];
}

export interface Progress {
  answeredThisWeek: boolean;
  last4: { weeks: number; of: number };
  last12: { weeks: number; of: number };
  streak: number;
  coverage: CoverageRow[];
  openHelp: HelpRequest[];
  readiness: Readiness | null;
  topics: Topic[];
  /** Competencies practised before they were removed from the rubrics, under their old names. */
  retired: { name: string; lastAt: Date | null }[];
}

const READY_RATING = 3;
const MAX_TOPICS = 3;

function trendOf(s: CompetencyStat | undefined): Trend {
  if (!s || s.latestRating === null) return 'none';
  if (s.previousRating === null) return 'new';
  return s.latestRating > s.previousRating ? 'up' : s.latestRating < s.previousRating ? 'down' : 'flat';
}

/**
 * Weeks with a check-in among the last `n` weeks up to this one. Weeks before joining and
 * paused weeks are not counted in either number.
 */
function answeredOf(
  input: ProgressInput,
  n: number,
  answered: Set<string>,
  paused: Set<string>,
): { weeks: number; of: number } {
  const joined = input.joinedWeek ? weekIndex(input.joinedWeek) : -Infinity;
  let weeks = 0;
  let of = 0;
  for (let i = 0; i < n; i++) {
    const w = previousWeek(input.currentWeek, i);
    if (weekIndex(w) < joined || paused.has(w)) continue;
    of++;
    if (answered.has(w)) weeks++;
  }
  return { weeks, of };
}

/**
 * Consecutive weeks with a check-in, ending this week (or last week, while this week is
 * still open). Paused weeks neither break nor extend it.
 */
function streakOf(input: ProgressInput, answered: Set<string>, paused: Set<string>): number {
  let streak = 0;
  let w = answered.has(input.currentWeek) ? input.currentWeek : previousWeek(input.currentWeek);
  for (let i = 0; i < 60; i++, w = previousWeek(w)) {
    if (answered.has(w)) streak++;
    else if (!paused.has(w)) break;
  }
  return streak;
}

const dateOf = (d: Date) => d.toISOString().slice(0, 10);

export function progressOf(input: ProgressInput, rubrics: Rubrics): Progress {
  const answered = new Set(input.checkinWeeks);
  const paused = new Set(input.pausedWeeks);
  const stats = new Map(input.competencies.map((s) => [s.competencyId, s]));
  const coverage = competenciesFor(rubrics, input.level).map((competency) => {
    const s = stats.get(competency.id);
    return {
      competency,
      thisQuarter: s?.thisQuarter ?? 0,
      lastAt: s?.lastAt ?? null,
      latestRating: s?.latestRating ?? null,
      trend: trendOf(s),
    };
  });

  // A help request stays open until a later check-in on the same competency is rated 3 or more.
  const openHelp = input.helpRequests
    .filter((h) => {
      const s = h.competencyId ? stats.get(h.competencyId) : undefined;
      return !(s?.latestRatedAt && s.latestRatedAt > h.at && (s.latestRating ?? 0) >= READY_RATING);
    })
    .sort((a, b) => b.at.getTime() - a.at.getTime());

  const next = nextLevel(input.level);
  const readiness: Readiness | null = next
    ? (() => {
        const competencies = stretchCompetencies(rubrics, input.level).map((competency) => ({
          competency,
          ready: (stats.get(competency.id)?.latestRating ?? 0) >= READY_RATING,
        }));
        return {
          nextLevel: next,
          ready: competencies.filter((c) => c.ready).length,
          of: competencies.length,
          competencies,
        };
      })()
    : null;

  const topics: Topic[] = [];
  const name = competencyNamer(rubrics, 'something');
  const about: (string | null)[] = [];
  for (const h of openHelp) {
    topics.push({
      kind: 'help',
      text: `Help with ${name(h.competencyId)}`,
      reason: `asked for help on ${dateOf(h.at)}`,
    });
    about.push(h.competencyId);
  }
  for (const row of coverage.filter((r) => r.trend === 'down')) {
    const s = stats.get(row.competency.id)!;
    topics.push({
      kind: 'falling',
      text: row.competency.name,
      reason: `self-rating fell from ${s.previousRating} to ${s.latestRating}`,
    });
    about.push(row.competency.id);
  }
  const untouched = [...coverage].sort(
    (a, b) => (a.lastAt?.getTime() ?? -Infinity) - (b.lastAt?.getTime() ?? -Infinity),
  );
  for (const row of untouched) {
    const days = row.lastAt ? Math.floor((input.now.getTime() - row.lastAt.getTime()) / DAY_MS) : null;
    if (days !== null && days < 28) break;
    topics.push({
      kind: 'untouched',
      text: row.competency.name,
      reason: days === null ? 'not practised yet' : `not practised for ${days} days`,
    });
    about.push(row.competency.id);
  }
  // One topic per competency: the first reason found (help, then falling, then untouched).
  const seen = new Set<string>();
  const unique = topics
    .map((t, i) => {
      const promptId = stats.get(about[i] ?? '')?.latestSharedPromptId;
      return { ...t, competencyId: about[i] ?? null, ...(promptId ? { promptId } : {}) };
    })
    .filter((t) => {
      const k = t.competencyId ?? t.text;
      return !seen.has(k) && Boolean(seen.add(k));
    });

  return {
    answeredThisWeek: answered.has(input.currentWeek),
    last4: answeredOf(input, 4, answered, paused),
    last12: answeredOf(input, 12, answered, paused),
    streak: streakOf(input, answered, paused),
    coverage,
    openHelp,
    readiness,
    topics: unique.slice(0, MAX_TOPICS),
    retired: input.competencies
      .filter((c) => !rubrics.byId.has(c.competencyId))
      .map((c) => ({ name: c.name ?? c.competencyId, lastAt: c.lastAt })),
  };
}

/** Who progress is computed for; results are keyed `team|user`. */
export interface ProgressMember {
  teamId: string;
  userId: string;
  tz: string;
  level: Level;
  joinedAt: Date | null;
}

type Keyed<T> = T & { teamId: string; userId: string };

/** The rows db/progress.ts fetches for a batch of members, each tagged with its member. */
export interface ProgressRows {
  checkinWeeks: readonly Keyed<{ week: string }>[];
  pausedWeeks: readonly Keyed<{ week: string }>[];
  competencies: readonly Keyed<CompetencyStat>[];
  helpRequests: readonly Keyed<HelpRequest>[];
}

/** How far back the rows reach: a year of weeks for the counts, four weeks of help requests. */
export function progressWindow(now: Date): { weeksSince: Date; helpSince: Date } {
  return { weeksSince: new Date(now.getTime() - 53 * 7 * DAY_MS), helpSince: new Date(now.getTime() - 28 * DAY_MS) };
}

function byMember<T extends { teamId: string; userId: string }, U>(
  rows: readonly T[],
  map: (r: T) => U,
): Map<string, U[]> {
  return new Map([...groupBy(rows, memberKeyOf)].map(([k, list]) => [k, list.map(map)]));
}

/** Progress for a batch of members from the rows fetched for all of them at once, keyed `team|user`. */
export function progressByMember(
  rubrics: Rubrics,
  members: readonly ProgressMember[],
  rows: ProgressRows,
  now: Date,
): Map<string, Progress> {
  const checkinWeeks = byMember(rows.checkinWeeks, (r) => r.week);
  const pausedWeeks = byMember(rows.pausedWeeks, (r) => r.week);
  const competencies = byMember(rows.competencies, ({ teamId: _t, userId: _u, ...stat }) => stat);
  const helpRequests = byMember(rows.helpRequests, ({ teamId: _t, userId: _u, ...help }) => help);
  const weeks = new Map<string, string>();
  const weekIn = (tz: string) => weeks.get(tz) ?? weeks.set(tz, localWeek(now, tz)).get(tz)!;
  return new Map(
    members.map((m) => {
      const k = memberKey(m.teamId, m.userId);
      const input: ProgressInput = {
        level: m.level,
        now,
        currentWeek: weekIn(m.tz),
        joinedWeek: m.joinedAt ? localWeek(m.joinedAt, m.tz) : null,
        checkinWeeks: checkinWeeks.get(k) ?? [],
        pausedWeeks: pausedWeeks.get(k) ?? [],
        competencies: competencies.get(k) ?? [],
        helpRequests: helpRequests.get(k) ?? [],
      };
      return [k, progressOf(input, rubrics)];
    }),
  );
}
