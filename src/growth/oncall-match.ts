/** An event of a schedule feed: who it names is in its attendees or its summary. */
export interface NamedEvent {
  uid: string;
  startsAt: Date;
  endsAt: Date;
  allDay: boolean;
  summary: string;
  attendees: { email: string | null; name: string | null }[];
}

/** A member as Slack knows them: e-mail addresses and names (display and real). */
export interface DirectoryPerson {
  userId: string;
  emails: string[];
  names: string[];
}

export interface MatchedShift {
  userId: string;
  uid: string;
  startsAt: Date;
  endsAt: Date;
  allDay: boolean;
}

/** How names and e-mail addresses are compared: exactly, but for case, width and spacing. */
export const norm = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/** Of a feed's unmatched names, those that are this person's (a name of theirs, or their e-mail). */
export function namesOf(unmatched: readonly string[], theirs: readonly string[]): string[] {
  const mine = new Set(theirs.map(norm).filter(Boolean));
  return unmatched.filter((n) => mine.has(norm(n)));
}

function index(people: readonly DirectoryPerson[], key: (p: DirectoryPerson) => string[]): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const p of people) {
    for (const k of key(p).map(norm).filter(Boolean)) m.set(k, (m.get(k) ?? new Set()).add(p.userId));
  }
  return m;
}

/**
 * Matches each event to members, exactly and case-insensitively: by an attendee's e-mail, by
 * an attendee's name, else by the summary or one of its parts ("On Call - Ada Lovelace -
 * Primary"). Nothing is guessed: a name two members share matches nobody, and every name that
 * matched nobody is returned for the admin to see.
 */
export function matchPeople(
  events: readonly NamedEvent[],
  people: readonly DirectoryPerson[],
): { shifts: MatchedShift[]; unmatched: string[] } {
  const byEmail = index(people, (p) => p.emails);
  const byName = index(people, (p) => p.names);
  const unique = (ids: Set<string> | undefined) => (ids && ids.size === 1 ? [...ids][0]! : null);
  const shifts: MatchedShift[] = [];
  const unmatched = new Set<string>();
  for (const e of events) {
    const found = new Set<string>();
    const missed: string[] = [];
    for (const a of e.attendees) {
      const id = (a.email && unique(byEmail.get(norm(a.email)))) || (a.name && unique(byName.get(norm(a.name))));
      if (id) found.add(id);
      else missed.push(a.name ?? a.email ?? '');
    }
    if (!found.size) {
      const parts = [e.summary, ...e.summary.split(/\s+[-–—|:]\s+|[()[\]]/)].map(norm).filter(Boolean);
      const id = parts.map((p) => unique(byName.get(p))).find(Boolean);
      if (id) found.add(id);
      else missed.push(e.summary.trim() || '(an event with no summary)');
    }
    if (!found.size) missed.filter(Boolean).forEach((m) => unmatched.add(m));
    for (const userId of found)
      shifts.push({ userId, uid: e.uid, startsAt: e.startsAt, endsAt: e.endsAt, allDay: e.allDay });
  }
  return { shifts, unmatched: [...unmatched].sort().slice(0, 50) };
}
