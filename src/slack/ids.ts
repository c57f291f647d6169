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
} as const;

export const COMMANDS = { growth: '/growth', checkin: '/checkin' } as const;
