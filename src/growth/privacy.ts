/**
 * Who sees each kind of data growthbot keeps: one table, shown by `/growth privacy` in Slack and
 * written out in the README (a test holds the two to the same rows).
 */
export interface WhoSees {
  what: string;
  person: string;
  mentor: string;
  admins: string;
  operators: string;
}

const EVERYTHING = 'yes: all of it, in the database and every backup';

export const WHO_SEES: readonly WhoSees[] = [
  {
    what: 'Check-ins you share (the default)',
    person: 'yes: Home, `/growth summary`, export',
    mentor: 'yes: the weekly digest, `/growth summary`',
    admins: 'yes: `/growth summary`',
    operators: EVERYTHING,
  },
  {
    what: 'Check-ins just for you ("Just for me", "Make private")',
    person: 'yes: Home, `/growth summary`, export',
    mentor: 'no, not even that one exists',
    admins: 'no, not even that one exists',
    operators: EVERYTHING,
  },
  {
    what: 'Help requests ("I\'d like help" on a shared check-in)',
    person: 'yes: Home, export; whether it helped is yours alone',
    mentor: 'yes: the digest, Home, `/growth mentees`, `/growth summary`, who offered help and when',
    admins: 'yes: `/growth summary`',
    operators: EVERYTHING,
  },
  {
    what: 'Replies between you and your mentor',
    person: 'yes: your DM, Home, export and journal',
    mentor: 'yes: their DM (both sides of the conversation), their export',
    admins: 'no',
    operators: EVERYTHING,
  },
  {
    what: 'Kudos on your shared check-ins',
    person: 'yes: a DM, Home, export and journal',
    mentor: 'yes: the ones they gave, in their export',
    admins: 'no',
    operators: EVERYTHING,
  },
  {
    what: 'On-call retros (pages, toil, alert to fix, handover)',
    person: 'yes: export',
    mentor: 'when shared: the digest; never when just for you',
    admins: 'no',
    operators: EVERYTHING,
  },
  {
    what: 'Incident reflections and their action items',
    person: 'yes: Home, export, the 30-day follow-up',
    mentor: 'when shared: the digest; never when just for you',
    admins: 'when shared: `/growth summary`',
    operators: EVERYTHING,
  },
  {
    what: 'Your focus (`/growth focus`) and its quarter review',
    person: 'yes: Home, `/growth summary`, the review, export and journal',
    mentor:
      'yes: the focus, and counts and ratings of shared check-ins only: the digest, `/growth summary`, the review',
    admins: 'yes: `/growth summary`, shared check-ins only',
    operators: EVERYTHING,
  },
  {
    what: 'Your 1:1 (`/growth one-on-one`), its agenda and takeaway',
    person: 'yes: the agenda DM, Home, export and journal; your takeaway is a check-in like any other',
    mentor:
      'yes: the same agenda, in their DM and on their Home (shared check-ins and help requests only, and what either of you added)',
    admins: 'no',
    operators: EVERYTHING,
  },
  {
    what: 'Your on-call calendar feed link',
    person: 'masked: `/growth oncall`',
    mentor: 'no (only that you are on call)',
    admins: 'no (they see the team schedule feeds they added, masked)',
    operators: 'yes: the whole link, with its secret token',
  },
  {
    what: 'Exports (`/growth export`)',
    person: 'yes: two files in your DM',
    mentor: 'no',
    admins: 'no',
    operators: 'can make one for anyone: `npm run cli -- export`',
  },
];

/** The sentence every surface uses for what is kept and for how long. */
export function retentionSentence(retentionDays: number | undefined): string {
  return retentionDays === undefined
    ? 'Everything is kept until you delete it (Home, or `/growth forget-me` for all of it).'
    : `Check-ins, retros, reflections, prompts, past shifts, replies, kudos, help requests (with their check-in) and 1:1 agenda items are deleted after ${retentionDays} days (a focus: that long after its quarter ends); sooner if you delete them (Home, or \`/growth forget-me\` for all of it).`;
}

export const DM_BECOMES_CHECKIN =
  'Anything you type in your DM with growthbot becomes a check-in, shared with your mentor: press *Make private* or *Not a check-in* under its reply to change that.';
