// Inputs from outside that once stopped the bot, shared by the focused tests and the fuzz tests.

/** Request bodies that are valid JSON but not an object (Bolt reads `body.ssl_check` from them). */
export const ODD_JSON = ['null', '1', '-0.5', '"ssl_check"', 'true', 'false', '[]', '[null]', '[{"type":"x"}]'];
