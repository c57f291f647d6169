import { getMember } from '../db/members.ts';
import { personData } from '../db/person-data.ts';
import type { Deps } from '../deps.ts';
import { competencyNamer } from '../growth/competencies.ts';
import { journalMarkdown } from '../growth/journal.ts';
import type { Weekday } from '../growth/schedule.ts';
import { namesInSlack } from '../outbound/users.ts';

export interface ExportFiles {
  json: string;
  markdown: string;
  /** Whether we hold anything about the person at all. */
  found: boolean;
}

/** Everything stored about a person as JSON, plus their growth journal in Markdown. Private check-ins included: it is their data. */
export async function buildExport(
  deps: Deps,
  teamId: string,
  userId: string,
  names: readonly string[] = [],
): Promise<ExportFiles> {
  const now = deps.now();
  const data = await personData(deps.db, teamId, userId, names);
  const json = JSON.stringify({ exported_at: now.toISOString(), team_id: teamId, user_id: userId, ...data }, null, 2);
  // Mentors (and the other person of each 1:1) by name where we know it.
  const pairedWith = data.one_on_ones.map((o) => (o.mentor_id === userId ? o.mentee_id : o.mentor_id));
  const mentors = [
    ...new Set([...data.replies.map((r) => r.mentor_id), ...data.kudos.map((k) => k.mentor_id), ...pairedWith]),
  ];
  const mentorNames = new Map(
    await Promise.all(
      mentors.map(async (id) => [id, (await getMember(deps.db, teamId, id))?.displayName ?? id] as const),
    ),
  );
  const nameOf = competencyNamer(deps.rubrics);
  const kudosOn = new Map(data.kudos.filter((k) => k.user_id === userId).map((k) => [k.checkin_id, k.mentor_id]));
  const markdown = journalMarkdown({
    name: data.member?.display_name ?? userId,
    level: data.member?.level ?? null,
    rubrics: deps.rubrics,
    now,
    checkins: data.checkins.map((c) => ({
      competencyId: c.competency_id,
      competencyName: c.competency_name,
      text: c.text,
      rating: c.rating,
      needsHelp: c.needs_help,
      evidenceUrl: c.evidence_url,
      private: c.private,
      at: c.created_at,
      kudosFrom: kudosOn.has(c.id) ? (mentorNames.get(kudosOn.get(c.id)!) ?? null) : null,
    })),
    replies: data.replies
      .filter((r) => r.user_id === userId && r.from_mentor)
      .map((r) => ({ from: mentorNames.get(r.mentor_id) ?? r.mentor_id, text: r.text, at: r.created_at })),
    focus: data.focus_areas,
    oneOnOnes: data.one_on_ones.map((o, i) => ({
      with: mentorNames.get(pairedWith[i]!) ?? pairedWith[i]!,
      weekday: o.weekday as Weekday,
      minute: o.minute,
      everyWeeks: o.every_weeks,
    })),
    agenda: data.agenda_items.map((a) => {
      const c = a.checkin_id === null ? undefined : data.checkins.find((x) => String(x.id) === String(a.checkin_id));
      return {
        at: a.created_at,
        text: a.text,
        checkin: c ? { at: c.created_at, competencyName: c.competency_id ? nameOf(c.competency_id) : null } : null,
      };
    }),
  });
  return { json, markdown, found: data.member !== null };
}

/** Sends the two files to the person by DM (Slack's external upload flow). */
export async function sendExport(deps: Deps, client: Deps['slack'], teamId: string, userId: string): Promise<void> {
  // Their names as Slack knows them find what a schedule feed kept of them.
  const files = await buildExport(deps, teamId, userId, await namesInSlack(client, userId, deps.logger));
  const open = await client.conversations.open({ users: userId });
  const channel = open.channel?.id;
  if (!channel) throw new Error('could not open a DM to send the export');
  const day = deps.now().toISOString().slice(0, 10);
  await client.filesUploadV2({
    channel_id: channel,
    initial_comment:
      'Here is everything growthbot stores about you (JSON), and your growth journal (Markdown), including check-ins marked just for you.',
    file_uploads: [
      {
        file: Buffer.from(files.json, 'utf8'),
        filename: `growthbot-export-${day}.json`,
        title: 'growthbot export (JSON)',
      },
      { file: Buffer.from(files.markdown, 'utf8'), filename: `growth-journal-${day}.md`, title: 'Growth journal' },
    ],
  });
}
