import { type Kysely, sql } from 'kysely';

// Frozen in time: never import from src/.
//
// `/growth incident <title>` stored the title as Slack sends command text, with &, < and >
// as &amp; &lt; &gt;, so it was shown escaped twice ("DB failover &amp; …"). Titles are now stored
// as typed. Every title stored by the command was escaped exactly once (Slack escapes all three
// in command text), so reading the entities back gives exactly what was typed:
// - the title and its key (the same title typed again is the same incident);
// - a link's &amp; (a link's key is the link, so the same link stays one incident);
// - the start of the member's check-ins that the reflection form filled in as "Incident: <title>".
// A row whose key, read back, is already another row's is left as it is.
//
// Check-in text is left alone otherwise. /checkin and DM replies have been read back since
// 2026-12-02 (before that, for about a day of development, they were kept as Slack sent them);
// a row's age does not tell which code stored it, and reading back a text stored since then would
// change what someone wrote on purpose (typing "&amp;" is kept as "&amp;"). Form text was always
// stored as typed.

const typed = (s: ReturnType<typeof sql>) =>
  sql`replace(replace(replace(${s}, '&lt;', '<'), '&gt;', '>'), '&amp;', '&')`;
const escaped = sql`p.source = 'command' and p.title ~ '&(amp|lt|gt);'`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const prefix = sql`'Incident: ' || p.title`;
  await sql`
    update checkins c set text = 'Incident: ' || ${typed(sql`p.title`)} || substr(c.text, length(${prefix}) + 1)
    from incident_participations p
    where ${escaped} and c.team_id = p.team_id and c.user_id = p.user_id and left(c.text, length(${prefix})) = ${prefix}`.execute(
    db,
  );
  const titleKey = sql`'title:' || ${typed(sql`substr(p.incident_key, 7)`)}`;
  await sql`
    update incident_participations p set title = ${typed(sql`p.title`)}, incident_key = ${titleKey}
    where ${escaped} and p.incident_key like 'title:%' and not exists (
      select 1 from incident_participations q
      where q.team_id = p.team_id and q.user_id = p.user_id and q.incident_key = ${titleKey})`.execute(db);
  const linkKey = sql`replace(p.incident_key, '&amp;', '&')`;
  await sql`
    update incident_participations p set link = replace(p.link, '&amp;', '&'), incident_key = ${linkKey}
    where p.source = 'command' and p.link like '%&amp;%' and p.incident_key like 'link:%' and not exists (
      select 1 from incident_participations q
      where q.team_id = p.team_id and q.user_id = p.user_id and q.incident_key = ${linkKey})`.execute(db);
}

/** Nothing to undo: text stored as typed reads the same to the code before this one, escaped once more. */
export async function down(_db: Kysely<unknown>): Promise<void> {}
