import { CHECKIN_MAX_CHARS } from '../../growth/checkin.ts';
import { LEVELS } from '../../rubrics/schema.ts';
import { escapeText } from './progress.ts';
import type { SlackMessage } from './prompt-message.ts';

export const LEVEL_LIST = LEVELS.map((l) => `\`${l}\``).join(', ');

/** Quotes what a person wrote back to them, so nothing they typed is lost when we cannot save it. */
export function giveBack(text: string): string {
  return `Here is what you wrote, so you can send it again:\n\`\`\`${escapeText(text.replace(/```/g, "'''"))}\`\`\``;
}

/** What a `/growth` that could not be read answers: what was wrong, and where the commands are listed. */
export function notUnderstood(problem: string): string {
  return `${problem} \`/growth help\` lists every command.`;
}

export function helpText(): string {
  return [
    '*growthbot* sends you one small growth prompt a week for your level, and tells your mentor how you are doing.',
    '',
    '`/growth join <level>`: join at a level (' + LEVEL_LIST + '). Example: `/growth join junior`',
    '`/growth level <level>`: change your level. Example: `/growth level mid`',
    '`/growth mentor @someone`: name your mentor; they get a weekly digest. Example: `/growth mentor @alex`',
    '`/growth me`: your level, mentor, timezone and prompt time',
    '`/growth schedule <weekday> <HH:MM>`: when your prompt arrives, your time. Example: `/growth schedule tuesday 09:30`',
    '`/growth pause [weeks|date]`: no prompts for a while. Example: `/growth pause 2`',
    '`/growth resume`: prompts again',
    "`/growth summary [@someone]`: your progress, or a mentee's (their mentor only). Example: `/growth summary @alex`",
    '`/growth mentees`: one line for each person you mentor',
    '`/growth incident <link or title>`: you were in an incident; a reflection prompt follows two working days later. Example: `/growth incident https://status.example.com/incidents/42`',
    "`/growth oncall <link>`: your on-call shifts from your schedule's calendar feed (iCalendar); `/growth oncall off` removes it",
    '`/growth focus`: choose up to three competencies to focus on this quarter; your mentor is told',
    '`/growth one-on-one <weekday> <HH:MM> [weekly|fortnightly]`: your 1:1 with your mentor or mentee, in the mentor’s time; both get its agenda the day before; `/growth one-on-one off` clears it. Example: `/growth one-on-one tuesday 10:00 fortnightly`',
    '`/growth agenda <text>`: something to raise at your next 1:1. Example: `/growth agenda how to prepare for my first on-call week`',
    '`/growth export`: everything stored about you, as two files in a DM',
    '`/growth forget-me`: delete everything stored about you (asks first)',
    '`/growth privacy`: who sees what you write (you, your mentor, admins, operators), and for how long',
    '`/growth help`: this list',
    '',
    '`/checkin <what you did or learned>`: a quick check-in. Start with a competency id and a colon to file it there: `/checkin observability: traced a slow request end to end`',
    '`/checkin`: opens the check-in form (competency, rating, asking for help, evidence link)',
  ].join('\n');
}

export function joinFirst(): string {
  return `You have not joined yet. Start with \`/growth join <level>\`, where the level is one of ${LEVEL_LIST}. Example: \`/growth join junior\``;
}

export function badLevel(given: string | null, subcommand: 'join' | 'level'): string {
  const what = given ? `\`${given.slice(0, 40)}\` is not a level.` : 'Which level?';
  return `${what} Choose one of ${LEVEL_LIST}, e.g. \`/growth ${subcommand} mid\`.`;
}

export function tooLong(length: number): string {
  return `That check-in is ${length} characters long; the limit is ${CHECKIN_MAX_CHARS}. Nothing was saved. Shorten it, or use \`/checkin\` on its own to open the form.`;
}

export function notSaved(): string {
  return 'Sorry, I could not save that check-in just now: the database did not answer in time, so it may not have been stored. Sending the same text again is safe: it is never stored twice.';
}

/**
 * To a mentee whose mentor left growthbot (deactivated in Slack, removed by an admin, or deleted
 * their data): sent once. `null` when the mentor's data is deleted, so not even their id is kept.
 */
export function mentorLeftMessage(mentorId: string | null): SlackMessage {
  const who = mentorId ? `<@${mentorId}> has` : 'Your mentor has';
  const text = `${who} left growthbot, so they are no longer your mentor and get no digest about you. Your prompts carry on as before. To name a new mentor: \`/growth mentor @someone\`.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
