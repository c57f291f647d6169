import { type Kysely, sql } from 'kysely';

// Frozen in time: never import from src/.
// A check-in written as a message in the bot's DM keeps where that message is, so an edit or a
// deletion of the message reaches the check-in, and a Slack retry of the event stores it once.
// members.join_hint_at: when someone who has not joined was last told how to, so a person who
// writes several messages before joining is answered once, not once per message.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('checkins').addColumn('message_channel', 'text').addColumn('message_ts', 'text').execute();
  await sql`create unique index checkins_by_message on checkins (team_id, message_channel, message_ts) where message_ts is not null`.execute(
    db,
  );
  await db.schema.alterTable('members').addColumn('join_hint_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('members').dropColumn('join_hint_at').execute();
  await sql`drop index if exists checkins_by_message`.execute(db);
  await db.schema.alterTable('checkins').dropColumn('message_ts').dropColumn('message_channel').execute();
}
