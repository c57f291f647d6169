// The running sandbox as its page API and interactions see it (apart from sandbox.ts, which makes
// it and starts the API, so the two do not import each other).
import type { Deps } from '../deps.ts';
import type { SendResult, SlackRequest } from './slack-requests.ts';
import type { FakeSlack } from './slack-stand-in.ts';

export interface Sandbox {
  url: string;
  port: number;
  deps: Deps;
  standIn: FakeSlack;
  clock: { now(): Date; set(at: Date): void };
  /** The instant of the last scheduler tick a jump ran (jumps run every tick due after it). */
  lastTick: Date;
  /** The clock's first instant: the demo's on-call rotation starts that week, the tour counts from it. */
  demoStart: Date;
  /** Who joined each incident channel made on the page, by channel id. */
  channelMembers: Map<string, string[]>;
  /** The tour's steps done so far (see tour.ts). */
  tourDone: Set<string>;
  /** Sends a request into the app signed as Slack signs it, with the trigger id Slack would issue. */
  send(req: SlackRequest, user: string): Promise<SendResult>;
  acting: string;
  /** Inline errors from `response_action: errors`, by view id. */
  errors: Map<string, Record<string, string>>;
  close(): Promise<void>;
}
