import type { ServiceCategory } from '../model/canonicalBundle';
import type { OutreachDraft } from './action';

/**
 * Outreach drafts: one short message per front-desk action, templated by the service category
 * of the patient's last visit. The front desk sends it through the EMR's (or the messaging
 * tool's) templates, which fill the placeholders for the patient it is sent to — Caliper never
 * knows the name, the practice's phone or the booking link, and does not need to.
 *
 * A draft holds no identifier of any kind: not the patient id, no name, email, phone or person
 * key — only the category in words and the time since the last visit in words (no digit at all,
 * so not even a number that happens to be an id can slip in). The patient it is for is the
 * action's subject. The tone is a practice's own: warm, brief, an invitation rather than a push,
 * and no claim about what a treatment does or when it "wears off" (that is clinical advice, the
 * provider's to give).
 */

/** The placeholders a draft may use, with what the EMR fills them with (docs/actions.md). */
export const PLACEHOLDERS = {
  first_name: "the patient's first name, from the EMR's patient record",
  practice_name: "the location's name as the practice signs its messages",
  booking_link: "the practice's online booking link",
  practice_phone: "the location's phone number",
} as const;

export type Placeholder = keyof typeof PLACEHOLDERS;

/** The template of each category; `other` for `other_service` and a visit without a category. */
export type DraftTemplate = Exclude<ServiceCategory, 'other_service'> | 'other';

/** `{since}` is the time since the last visit in words; `{{…}}` are the EMR's placeholders. */
const TEMPLATES: Readonly<Record<DraftTemplate, string>> = {
  neurotoxin:
    "Hi {{first_name}}, it's been {since} since your last neurotoxin appointment at {{practice_name}}. Whenever you'd like to come back in, you can book at {{booking_link}} or call us at {{practice_phone}}. We'd love to see you!",
  filler:
    "Hi {{first_name}}, it's been {since} since your filler appointment at {{practice_name}}. If you'd like to talk about your next visit, you can book a time at {{booking_link}} or call us at {{practice_phone}}. We're here whenever you're ready.",
  laser:
    "Hi {{first_name}}, it's been {since} since your last laser session at {{practice_name}}. If you'd like to pick up where you left off, you can book at {{booking_link}} or call us at {{practice_phone}}. We'd be glad to see you.",
  energy_device:
    "Hi {{first_name}}, it's been {since} since your last energy-based treatment at {{practice_name}}. If you'd like to schedule your next session, you can book at {{booking_link}} or call us at {{practice_phone}}. We're happy to help.",
  body_contouring:
    "Hi {{first_name}}, it's been {since} since your last body contouring session at {{practice_name}}. If you'd like to continue, you can book at {{booking_link}} or call us at {{practice_phone}}. We'd be glad to see you.",
  skin_treatment:
    "Hi {{first_name}}, it's been {since} since your last skin treatment at {{practice_name}}. Whenever you'd like to come in again, you can book at {{booking_link}} or call us at {{practice_phone}}. We'd love to see you.",
  facial:
    "Hi {{first_name}}, it's been {since} since your last facial at {{practice_name}}. Whenever you're ready for the next one, you can book at {{booking_link}} or call us at {{practice_phone}}. We'd love to see you!",
  consultation:
    "Hi {{first_name}}, it's been {since} since your consultation at {{practice_name}}. If you have questions or would like to plan a next step, you can book at {{booking_link}} or call us at {{practice_phone}}. We're happy to help whenever it suits you.",
  other:
    "Hi {{first_name}}, it's been {since} since your last visit to {{practice_name}}. Whenever you'd like to come back in, you can book at {{booking_link}} or call us at {{practice_phone}}. We'd love to see you.",
};

const NUMBER_WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];

/** Average days in a month (365.25 / 12). */
const DAYS_PER_MONTH = 30.4375;

/**
 * Days as a person says them, approximately and without digits: `a few days`, `about a week`,
 * `about three weeks`, `about two months`, `about a year`, `over a year`. Weeks up to seven and
 * a half, months up to eleven, then years: a draft reads "about four months", not "127 days".
 */
export function timeInWords(days: number): string {
  if (days < 7) return 'a few days';
  if (days < 53) {
    const weeks = Math.round(days / 7);
    return weeks === 1 ? 'about a week' : `about ${NUMBER_WORDS[weeks]} weeks`;
  }
  if (days < 335) return `about ${NUMBER_WORDS[Math.max(2, Math.round(days / DAYS_PER_MONTH))]} months`;
  if (days < 548) return 'about a year';
  return 'over a year';
}

export function templateOf(category: ServiceCategory | null): DraftTemplate {
  return category === null || category === 'other_service' ? 'other' : category;
}

/** The draft for a patient whose last visit was of `category`, `daysSinceLast` days ago. */
export function outreachDraft(category: ServiceCategory | null, daysSinceLast: number): OutreachDraft {
  const template = templateOf(category);
  const text = TEMPLATES[template].replace('{since}', timeInWords(daysSinceLast));
  const placeholders = [...new Set([...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? ''))];
  return { template, text, placeholders };
}
