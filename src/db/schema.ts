import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Weekday } from '../growth/schedule.ts';
import type { Level } from '../rubrics/schema.ts';
import type { Camel } from './camel.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type BigId = ColumnType<string, never, never>; // bigserial comes back as a string from pg

export type MemberStatus = 'active' | 'paused' | 'left';
export type CheckinSource = 'modal' | 'command' | 'dm';
export type NudgeOutcome = 'open' | 'answered' | 'skipped' | 'missed';
export type DeliveryKind =
  | 'prompt'
  | 'reminder'
  | 'digest'
  | 'reflection'
  | 'follow_up'
  | 'retro'
  | 'mentor_left'
  | 'focus_review'
  | 'agenda'
  | 'takeaway';
export type FocusStatus = 'chosen' | 'agreed' | 'suggested' | 'kept';
export type DeliveryStatus = 'claimed' | 'sending' | 'sent' | 'failed' | 'missed' | 'skipped';

export interface MembersTable {
  team_id: string;
  user_id: string;
  level: Level | null;
  display_name: string | null;
  tz: ColumnType<string, string | undefined, string>;
  tz_checked_at: Timestamp | null;
  prompt_weekday: ColumnType<Weekday, Weekday | undefined, Weekday>;
  prompt_minute: ColumnType<number, number | undefined, number>;
  status: ColumnType<MemberStatus, MemberStatus | undefined, MemberStatus>;
  paused_until: Timestamp | null;
  joined_at: Timestamp | null;
  /** When they left (deactivated in Slack, or removed by an admin); null while a member. */
  left_at: Timestamp | null;
  /** When someone who has not joined was last told how to (a DM to the bot), so they are told once. */
  join_hint_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface MentorshipsTable {
  id: BigId;
  team_id: string;
  mentor_id: string;
  mentee_id: string;
  started_at: Timestamp;
  ended_at: Timestamp | null;
}

export interface NudgesTable {
  id: BigId;
  team_id: string;
  user_id: string;
  week: string;
  level: Level;
  competency_id: string;
  prompt_id: string;
  prompt_text: string;
  outcome: ColumnType<NudgeOutcome, NudgeOutcome | undefined, NudgeOutcome>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CheckinsTable {
  id: BigId;
  team_id: string;
  user_id: string;
  competency_id: string | null;
  competency_name: string | null;
  text: string;
  rating: number | null;
  needs_help: Generated<boolean>;
  evidence_url: string | null;
  private: Generated<boolean>;
  source: CheckinSource;
  nudge_id: string | null;
  idempotency_key: string;
  /** Where the DM message that is this check-in lives (source `dm`), so its edits and deletion follow. */
  message_channel: ColumnType<string | null, string | null | undefined, string | null>;
  message_ts: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface DeliveriesTable {
  id: BigId;
  team_id: string;
  user_id: string;
  kind: DeliveryKind;
  week: string;
  /** What the delivery is about when it is not once a week: `incident:<id>`, `shift:<id>`; '' otherwise. */
  ref: ColumnType<string, string | undefined, string>;
  nudge_id: string | null;
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  last_error: string | null;
  channel: string | null;
  message_ts: string | null;
  claimed_at: Timestamp;
  sent_at: Timestamp | null;
}

export type FeedKind = 'member' | 'schedule';

export interface OncallFeedsTable {
  id: BigId;
  team_id: string;
  kind: FeedKind;
  /** The member whose own feed this is; null for a schedule feed. */
  owner_id: string | null;
  /** A secret (the provider's token is in it): select it only to fetch; show url_masked. */
  url: string;
  url_masked: string;
  etag: string | null;
  last_modified: string | null;
  last_fetched_at: Timestamp | null;
  last_ok_at: Timestamp | null;
  /** When the content was last read into shifts (a 304 does not count). */
  parsed_at: Timestamp | null;
  last_error: string | null;
  error_notified_at: Timestamp | null;
  unmatched: ColumnType<string[], string | undefined, string>;
  created_by: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface OncallShiftsTable {
  id: BigId;
  team_id: string;
  user_id: string;
  feed_id: string;
  uid: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  all_day: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface IncidentParticipationsTable {
  id: BigId;
  team_id: string;
  user_id: string;
  incident_key: string;
  source: 'command' | 'channel';
  link: string | null;
  title: string | null;
  channel_id: string | null;
  reported_at: Timestamp;
  last_message_at: Timestamp | null;
  archived_at: Timestamp | null;
  checkin_id: string | null;
  action_item: string | null;
  reflected_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface OncallRetrosTable {
  id: BigId;
  team_id: string;
  user_id: string;
  shift_id: string | null;
  shift_starts_at: Timestamp;
  shift_ends_at: Timestamp;
  checkin_id: string;
  pages: number;
  actionable: number;
  toil_hours: number;
  alert_to_fix: string | null;
  handover: string | null;
  created_at: CreatedAt;
}

/** A DM message its author said is not a check-in: an edit never brings it back. */
export interface WithdrawnDmMessagesTable {
  team_id: string;
  user_id: string;
  channel: string;
  ts: string;
  withdrawn_at: Timestamp;
}

/** A message between a mentee and their mentor (`user_id` is always the mentee), sent by DM. */
export interface RepliesTable {
  id: BigId;
  team_id: string;
  user_id: string;
  mentor_id: string;
  from_mentor: boolean;
  text: string;
  /** The first reply of the conversation; null for the first itself. */
  thread_id: string | null;
  /** Where it was posted in its recipient's DM, once it was. */
  channel: ColumnType<string | null, string | null | undefined, string | null>;
  ts: ColumnType<string | null, string | null | undefined, string | null>;
  idempotency_key: string;
  created_at: Timestamp;
}

/** A mentor's kudos on a shared check-in: one per check-in. */
export interface KudosTable {
  checkin_id: string;
  team_id: string;
  user_id: string;
  mentor_id: string;
  created_at: Timestamp;
}

/** What became of a help request (a shared check-in with "I'd like help"), keyed by its check-in. */
export interface HelpRequestsTable {
  checkin_id: string;
  team_id: string;
  user_id: string;
  offered_by: ColumnType<string | null, string | null | undefined, string | null>;
  offered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  resolved_by: ColumnType<string | null, string | null | undefined, string | null>;
  resolved_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  helped: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  helped_note: ColumnType<string | null, string | null | undefined, string | null>;
  answered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** A member's focus for a quarter of their own calendar, and what their mentor said of it. */
export interface FocusAreasTable {
  id: BigId;
  team_id: string;
  user_id: string;
  quarter: string;
  competency_ids: ColumnType<string[], string | undefined, string>;
  status: ColumnType<FocusStatus, FocusStatus | undefined, FocusStatus>;
  suggested_ids: ColumnType<string[] | null, string | null | undefined, string | null>;
  /** The mentor who agreed or suggested; null until one did. */
  mentor_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** A mentor and mentee's 1:1: a weekly slot in the mentor's zone, weekly or fortnightly. */
export interface OneOnOnesTable {
  id: BigId;
  team_id: string;
  mentor_id: string;
  mentee_id: string;
  weekday: Weekday;
  minute: number;
  every_weeks: 1 | 2;
  anchor_week: string;
  created_by: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** Something either person added to their next 1:1: typed text, or a check-in of the mentee's. */
export interface AgendaItemsTable {
  id: BigId;
  team_id: string;
  one_on_one_id: string;
  user_id: string;
  text: string | null;
  checkin_id: string | null;
  created_at: CreatedAt;
}

export interface Database {
  members: MembersTable;
  mentorships: MentorshipsTable;
  nudges: NudgesTable;
  checkins: CheckinsTable;
  deliveries: DeliveriesTable;
  oncall_feeds: OncallFeedsTable;
  oncall_shifts: OncallShiftsTable;
  incident_participations: IncidentParticipationsTable;
  oncall_retros: OncallRetrosTable;
  withdrawn_dm_messages: WithdrawnDmMessagesTable;
  replies: RepliesTable;
  kudos: KudosTable;
  help_requests: HelpRequestsTable;
  send_pace: SendPaceTable;
  focus_areas: FocusAreasTable;
  one_on_ones: OneOnOnesTable;
  agenda_items: AgendaItemsTable;
}

/** The workspace's one send pace, shared by every instance (`db/send-pace.ts`). */
export interface SendPaceTable {
  team_id: string;
  /** The start of the next free send slot. */
  next_at: Timestamp;
  /** Until when a 429 pauses every instance's sends. */
  paused_until: Timestamp;
}

export type Member = Camel<Selectable<MembersTable>>;
/** A row as the query functions return it: camelCase (`camel.ts`). */
export type Mentorship = Camel<Selectable<MentorshipsTable>>;
export type Nudge = Camel<Selectable<NudgesTable>>;
export type Checkin = Camel<Selectable<CheckinsTable>>;
export type NewCheckin = Insertable<CheckinsTable>;
export type Delivery = Selectable<DeliveriesTable>;
/** A row as the query functions return it: camelCase (`camel.ts`). */
export type OncallFeed = Camel<Selectable<OncallFeedsTable>>;
export type OncallShift = Selectable<OncallShiftsTable>;
export type IncidentParticipation = Camel<Selectable<IncidentParticipationsTable>>;
export type OncallRetro = Camel<Selectable<OncallRetrosTable>>;
