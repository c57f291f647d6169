// Requests into the app, signed as Slack signs them; shared with the sandbox, which sends the same.
export * from '../../src/sandbox/slack-requests.ts';
