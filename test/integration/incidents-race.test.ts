import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type NewParticipation, recordParticipation } from '../../src/db/incidents.ts';
import { useTestDatabase } from '../support/db.ts';
import { join, TEAM } from '../support/members.ts';

const NOW = new Date('2026-12-02T12:00:00Z');

// The same incident told twice at once (a Slack retry while the first is still being stored):
// the second waits for the first, then finds its row instead of coming back empty-handed.
describe('an incident recorded twice at once', () => {
  const d = useTestDatabase((db) => join(db, 'UANA', 'junior', 'Europe/Berlin'));

  it('the second one finds the row the first stored, once the first commits', async () => {
    const told: NewParticipation = {
      teamId: TEAM,
      userId: 'UANA',
      key: 'title:dns outage',
      source: 'command',
      title: 'DNS outage',
      at: NOW,
    };
    let commit!: () => void;
    const held = new Promise<void>((r) => {
      commit = r;
    });
    let stored!: (id: string) => void;
    const firstStored = new Promise<string>((r) => {
      stored = r;
    });
    const first = d.db.transaction().execute(async (tx) => {
      const r = await recordParticipation(tx, told);
      stored(r!.row.id);
      await held;
      return r;
    });
    const id = await firstStored;
    const second = recordParticipation(d.db, told);
    // Wait until the second insert is blocked on the first one's row (no timing guess).
    for (let i = 0; ; i++) {
      const waiting = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`.execute(d.db);
      if (waiting.rows[0]!.n > 0) break;
      if (i > 200) throw new Error('the second insert never waited for the first');
      await new Promise((r) => setTimeout(r, 10));
    }
    commit();
    expect(await first).toMatchObject({ created: true, row: { id } });
    expect(await second).toMatchObject({ created: false, row: { id, userId: 'UANA', title: 'DNS outage' } });
    expect(await d.db.selectFrom('incident_participations').select('id').execute()).toEqual([{ id }]);
  });
});
