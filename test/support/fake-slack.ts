// The tests use the sandbox's Slack stand-in: one fake, so what the sandbox allows the tests allow.
export * from '../../src/sandbox/slack-stand-in.ts';
