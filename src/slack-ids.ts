/** A Slack user id as settings, rosters, the CLI and events give it: U or W, then capitals and digits. */
export const USER_ID = /^[UW][A-Z0-9]{2,}$/;
