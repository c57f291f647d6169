// Requests into the app, signed as Slack signs them; shared with the sandbox, which sends the same.
import { IDS } from '../../src/outbound/ids.ts';
import {
  checkboxesValue,
  radioValue,
  selectValue,
  viewSubmission as submissionOf,
  textValue,
} from '../../src/sandbox/slack-requests.ts';

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

/** The check-in form, filled in and submitted by `user` (a fresh view id each time). */
export function checkinSubmission(o: {
  user: string;
  text: string;
  competency: string;
  rating?: string;
  help?: boolean;
  private?: boolean;
}): ReturnType<typeof submissionOf> {
  const c = IDS.checkin;
  const flags = [...(o.private ? [IDS.options.private] : []), ...(o.help ? [IDS.options.needsHelp] : [])];
  return viewSubmission({
    user: o.user,
    callback_id: IDS.checkinModal,
    private_metadata: '{}',
    values: {
      [c.competencyBlock]: { [c.competencyAction]: selectValue(o.competency) },
      [c.textBlock]: { [c.textAction]: textValue(o.text) },
      [c.ratingBlock]: { [c.ratingAction]: radioValue(o.rating ?? '2') },
      [c.optionsBlock]: { [c.optionsAction]: checkboxesValue(flags) },
    },
  });
}
