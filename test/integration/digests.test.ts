import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/create-db.ts';
import { ensurePerson } from '../../src/db/members.ts';
import { setMentor } from '../../src/db/mentorships.ts';
import { runDigests } from '../../src/jobs/digests.ts';
import { IDS } from '../../src/outbound/ids.ts';
import { type Harness, useHarness } from '../support/harness.ts';
import { seedMembers, TEAM } from '../support/members.ts';

let h: Harness;
useHarness((x) => (h = x));

const FRIDAY_1505_BERLIN = new Date('2026-12-11T14:05:00Z');
const digests = () =>
  h.fake
    .callsTo('chat.postMessage')
    .filter((c) => (c.args.metadata as { event_type?: string } | undefined)?.event_type === IDS.deliveryEvent);

async function mentorsWithMentees(mentors: number, perMentor: number) {
  const now = new Date('2026-11-01T00:00:00Z');
  const mentees = await seedMembers(h.deps.db, mentors * perMentor, { prefix: `E${perMentor}` });
  for (let i = 0; i < mentors; i++) {
    const mentor = `U0MENTOR${i}`;
    await ensurePerson(h.deps.db, { teamId: TEAM, userId: mentor, displayName: mentor, tz: 'Europe/Berlin' }, now);
    for (const mentee of mentees.slice(i * perMentor, (i + 1) * perMentor))
      await setMentor(h.deps.db, TEAM, mentee, mentor, now);
  }
  // A few weeks of check-ins for everyone, one in four asking for help.
  await h.deps.db
    .insertInto('checkins')
    .values(
      mentees.flatMap((u, n) =>
        [0, 7, 14].map((d) => ({
          team_id: TEAM,
          user_id: u,
          competency_id: 'observability',
          competency_name: 'Observability',
          text: `check-in ${d} of ${u}`,
          rating: 1 + (n % 4),
          needs_help: n % 4 === 0,
          source: 'command' as const,
          idempotency_key: `${u}-${d}`,
          created_at: new Date(FRIDAY_1505_BERLIN.getTime() - d * 86_400_000),
          updated_at: FRIDAY_1505_BERLIN,
        })),
      ),
    )
    .execute();
}

describe('digests job', () => {
  it('sends one DM per mentor, and a re-run sends none', async () => {
    await mentorsWithMentees(4, 3);
    const r = await runDigests(h.deps, FRIDAY_1505_BERLIN);
    expect(r).toMatchObject({ mentors: 4, claimed: 4, sent: 4 });
    expect(new Set(digests().map((c) => c.args.channel))).toEqual(
      new Set(['U0MENTOR0', 'U0MENTOR1', 'U0MENTOR2', 'U0MENTOR3']),
    );
    expect((await runDigests(h.deps, new Date(FRIDAY_1505_BERLIN.getTime() + 600_000))).sent).toBe(0);
    expect(digests()).toHaveLength(4);
    // Monday after: too late for last week's, and this week's is not due yet.
    expect((await runDigests(h.deps, new Date('2026-12-14T09:00:00Z'))).sent).toBe(0);
  });

  it('issues the same number of queries however many mentees each mentor has', async () => {
    const queriesFor = async (perMentor: number) => {
      await h.database.truncate();
      await mentorsWithMentees(3, perMentor);
      let count = 0;
      const counted = await createDb({ databaseUrl: h.database.url, dataDir: '', log: () => void count++ });
      try {
        await runDigests({ ...h.deps, db: counted.db }, FRIDAY_1505_BERLIN);
      } finally {
        await counted.close();
      }
      return count;
    };
    const small = await queriesFor(2);
    const large = await queriesFor(12);
    expect(large).toBe(small);
    expect(small).toBeLessThan(20);
  });
});
