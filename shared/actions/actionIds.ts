import { isYearMonth, type YearMonth } from '../model/localDate';
import { ACTION_RULES, type ActionRule } from './action';

/**
 * Action ids: `<rule>:<location>:<subject>:<period>`, e.g. `vip_past_due:L001:L001-P000123:2026-11`.
 * Deterministic, so the same situation is one action across runs (and its state sticks to it),
 * while a new period gives a new id that can be raised again after the last one was done.
 *
 * Each part is escaped so that the id is one URL path segment and can be split back into its
 * parts: every character but letters, digits, `.`, `_` and `-` becomes `~` and its UTF-8 bytes in
 * hex (`:` → `~3A`, `/` → `~2F`, `~` → `~7E`). Vendor-namespaced ids (`mindbody:1001`) stay
 * readable, and a `/` in an id can never split the API route `actions/{id}/snooze`.
 */

export interface ActionIdParts {
  rule: ActionRule;
  locationId: string;
  /** Patient id, provider id, or the location id again for a location alert. */
  subjectId: string;
  period: YearMonth;
}

const PLAIN = /^[A-Za-z0-9._-]$/;
const ESCAPED = /^(?:[A-Za-z0-9._-]|~[0-9A-F]{2})*$/;

// TextEncoder/TextDecoder rather than Buffer: the domain core also runs outside Node.
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function escapePart(text: string): string {
  let out = '';
  for (const char of text) {
    if (PLAIN.test(char)) out += char;
    else
      for (const byte of encoder.encode(char)) out += `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function unescapePart(text: string): string | null {
  if (!ESCAPED.test(text)) return null;
  const bytes: number[] = [];
  for (let i = 0; i < text.length;) {
    if (text[i] === '~') {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      bytes.push(text.charCodeAt(i));
      i += 1;
    }
  }
  let decoded: string;
  try {
    decoded = decoder.decode(new Uint8Array(bytes));
  } catch {
    return null; // not UTF-8: no id `escapePart` wrote
  }
  // `~41` for a plain `A` was not written by `escapePart` either: one spelling per id.
  return escapePart(decoded) === text ? decoded : null;
}

export function actionId(parts: ActionIdParts): string {
  return [parts.rule, parts.locationId, parts.subjectId, parts.period].map(escapePart).join(':');
}

/** The parts of an id `actionId` wrote; null for anything else. */
export function parseActionId(id: string): ActionIdParts | null {
  const pieces = id.split(':');
  if (pieces.length !== 4) return null;
  const parts = pieces.map(unescapePart);
  if (parts.some((part) => part === null || part === '')) return null;
  const [rule, locationId, subjectId, period] = parts as [string, string, string, string];
  if (!(ACTION_RULES as readonly string[]).includes(rule) || !isYearMonth(period)) return null;
  return { rule: rule as ActionRule, locationId, subjectId, period };
}
