/** Every callback, block and action id the app uses, written once. */
export const IDS = {
  checkinModal: 'checkin_modal',
  checkin: {
    competencyBlock: 'competency',
    competencyAction: 'competency_select',
    textBlock: 'text',
    textAction: 'text_input',
    ratingBlock: 'rating',
    ratingAction: 'rating_select',
    optionsBlock: 'options',
    optionsAction: 'options_checks',
    evidenceBlock: 'evidence',
    evidenceAction: 'evidence_input',
  },
  options: { needsHelp: 'needs_help', private: 'private' },
  nudge: {
    answer: 'nudge_answer',
    skip: 'nudge_skip',
    pause: 'nudge_pause',
  },
  pauseModal: 'pause_modal',
  pause: {
    weeksBlock: 'pause_weeks',
    weeksAction: 'pause_weeks_select',
    untilBlock: 'pause_until',
    untilAction: 'pause_until_date',
  },
  home: {
    checkin: 'home_checkin',
    schedule: 'home_schedule',
    pause: 'home_pause',
    focus: 'home_focus',
  },
  /** Choosing a quarter's focus, the mentor's answer, and the member's answer to a suggestion. */
  focusModal: 'focus_modal',
  focusSuggestModal: 'focus_suggest_modal',
  focus: {
    block: 'focus_competencies',
    action: 'focus_competencies_select',
    agree: 'focus_agree',
    suggest: 'focus_suggest',
    accept: 'focus_accept',
    keep: 'focus_keep',
    choose: 'focus_choose',
  },
  /** "Add to 1:1" on a check-in, and the takeaway question's button after a 1:1. */
  oneOnOne: { addCheckin: 'one_on_one_add_checkin', takeaway: 'one_on_one_takeaway' },
  editCheckin: 'checkin_edit',
  /** The buttons under the confirmation of a check-in written as a DM message (Edit is editCheckin). */
  dm: { makePrivate: 'dm_checkin_private', share: 'dm_checkin_share', notCheckin: 'dm_not_checkin' },
  deleteCheckin: 'checkin_delete',
  forgetMe: { confirm: 'forget_me_confirm', cancel: 'forget_me_cancel' },
  scheduleModal: 'schedule_modal',
  schedule: {
    weekdayBlock: 'schedule_weekday',
    weekdayAction: 'schedule_weekday_select',
    timeBlock: 'schedule_time',
    timeAction: 'schedule_time_picker',
  },
  incident: {
    reflect: 'incident_reflect',
    followUp: 'incident_follow_up',
    actionItemBlock: 'incident_action_item',
    actionItemAction: 'incident_action_item_input',
  },
  retro: {
    open: 'retro_open',
    pagesBlock: 'retro_pages',
    pagesAction: 'retro_pages_input',
    actionableBlock: 'retro_actionable',
    actionableAction: 'retro_actionable_input',
    toilBlock: 'retro_toil',
    toilAction: 'retro_toil_input',
    alertBlock: 'retro_alert',
    alertAction: 'retro_alert_input',
    handoverBlock: 'retro_handover',
    handoverAction: 'retro_handover_input',
    optionsBlock: 'retro_options',
    optionsAction: 'retro_options_checks',
  },
  retroModal: 'retro_modal',
  /** The mentor answers back: replies, kudos, help requests (values are a mentee, reply or check-in id). */
  mentoring: {
    reply: 'mentor_reply',
    replyBack: 'reply_back',
    replyBlock: 'reply_text',
    replyAction: 'reply_text_input',
    kudos: 'checkin_kudos',
    offerHelp: 'help_offer',
    resolveHelp: 'help_resolve',
    helped: 'help_helped',
    notHelped: 'help_not_helped',
    addNote: 'help_add_note',
    noteBlock: 'help_note',
    noteAction: 'help_note_input',
  },
  replyModal: 'reply_modal',
  helpNoteModal: 'help_note_modal',
  /** Slack message metadata marking a DM as ours, so a send whose fate is unknown can be found. */
  deliveryEvent: 'growthbot_delivery',
} as const;

/**
 * Slack wants each action id once per block: a block with several buttons of one kind (Kudos on
 * two check-ins) numbers the later ones, `checkin_kudos_1`; `anyNumbered` is what listeners match.
 */
export const numbered = (id: string, i: number): string => (i ? `${id}_${i}` : id);
export const anyNumbered = (id: string): RegExp => new RegExp(`^${id}(?:_\\d+)?$`);

export const COMMANDS = { growth: '/growth', checkin: '/checkin' } as const;
