// Requests into the app, signed as Slack signs them; shared with the sandbox, which sends the same.
import { viewSubmission as submissionOf } from '../../src/sandbox/slack-requests.ts';

export * from '../../src/sandbox/slack-requests.ts';

let views = 0;

/**
 * A form submission. Slack gives every modal it opens a view id of its own, and the app keys a
 * submission on it (sending the same view again is a retry, stored once): so each submission
 * here gets a fresh id unless the test names one. A shared default once made a test's second
 * form a silent duplicate, and its privacy assertions passed on a row that was never stored.
 */
export function viewSubmission(o: Parameters<typeof submissionOf>[0]): ReturnType<typeof submissionOf> {
  return submissionOf({ ...o, view_id: o.view_id ?? `V0TEST${++views}` });
}
