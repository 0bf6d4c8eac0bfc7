/**
 * What a member's SMS reply means (CTIA defaults, DESIGN.md "Messages to members"). Matching is
 * on the whole message, trimmed and case-insensitive, as carriers do.
 */
const OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'] as const;
const OPT_IN_KEYWORDS = ['START', 'YES', 'UNSTOP'] as const;
const HELP_KEYWORDS = ['HELP', 'INFO'] as const;
// C works in both languages (the Spanish reminder says "Responda C"); CONFIRMAR is the Spanish word.
const CONFIRM_KEYWORDS = ['C', 'CONFIRMAR'] as const;

export type ReplyIntent = 'opt-out' | 'opt-in' | 'help' | 'confirm' | 'other';

export function replyIntent(body: string): { intent: ReplyIntent; keyword: string } {
  const keyword = body
    .trim()
    .replace(/[.!]+$/, '')
    .toUpperCase();
  const has = (list: readonly string[]) => list.includes(keyword);
  if (has(OPT_OUT_KEYWORDS)) return { intent: 'opt-out', keyword };
  if (has(OPT_IN_KEYWORDS)) return { intent: 'opt-in', keyword };
  if (has(HELP_KEYWORDS)) return { intent: 'help', keyword };
  if (has(CONFIRM_KEYWORDS)) return { intent: 'confirm', keyword };
  return { intent: 'other', keyword: '' };
}
