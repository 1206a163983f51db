/**
 * The one redactor of message text. Every data-quality issue, conversion finding and failure
 * string that leaves the core goes through `redactMessage` (the ingest's issue constructor and
 * report builder, the conversion's issue mapping, the CLI's and the API's failure strings), so
 * a message never carries an email address, a phone number or a long run of digits (a card,
 * an account, a social security number), whatever code wrote it and whatever it quoted: a
 * parser's own message, a vendor's value, a cell that landed in the wrong column.
 *
 * What is masked:
 * - an email address (anything@domain.tld) → `[email withheld]`;
 * - a phone number: 7 to 15 digits written with separators (`(214) 555-0101`, `+44 20 7946 0321`,
 *   `214.555.0101`) or after a `+` → `[phone withheld]`;
 * - a run of 9 or more digits written together (`5125550101`, `123456789`) → `[number withheld]`.
 *
 * What is left as written, so that messages stay useful: dates and times (`2024-06-01`,
 * `10/05/2026 9:30 AM`, `17:00`), amounts with up to two decimals (`1500000.00`), and numbers of
 * up to 8 digits (row numbers, counts, amounts in cents).
 *
 * Values quoted from a patient's or lead's cell are not left to the redactor alone: the code
 * that quotes a cell uses `quoteValue` (or the ingest replaces the quote with `describeValue`),
 * which describes a value that looks personal — `a value of 24 characters` — instead of
 * quoting it. The masks hold no digit and no `@`, so redacting twice changes nothing.
 */

export const EMAIL_MASK = '[email withheld]';
export const PHONE_MASK = '[phone withheld]';
export const NUMBER_MASK = '[number withheld]';

/**
 * An email address: a local part, `@`, and a domain with a dot and a top-level label of letters.
 * `LTM@2026-10` (a period) is not one.
 */
const EMAIL_RE = /[^\s@"<>()[\],;:\\]+@(?:[\p{L}\p{N}_-]+\.)+\p{L}{2,}/gu;
const HAS_EMAIL_RE = /[^\s@"<>()[\],;:\\]+@(?:[\p{L}\p{N}_-]+\.)+\p{L}{2,}/u;

/** Dates, datetimes and times of day: never a phone, left as written. */
const DATE_OR_TIME_RE =
  /(?<!\d)(?:\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?|\d{1,2}\/\d{1,2}\/\d{2,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?)?|\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?)(?!\d)/g;

/**
 * A phone number: digit groups joined by single separators (`214-555-0101`, `(214) 555-0101`,
 * `+44 20 7946 0321`, `214.555.0101`), or `+` and the digits. It never starts inside a number
 * (`1,471.00`, `14.3`), and it counts only with 7 digits or more.
 */
const PHONE_RE =
  /(?<!\d)(?<!\d[.,])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{1,5}(?:[\s.\-/]\d{1,5}){1,6}(?!\d)|(?<!\d)\+\d{7,15}(?!\d)|(?<!\d)(?<!\d[.,])\(\d{1,5}\)[\s.-]?\d{3,}(?!\d)/g;
/**
 * A long run of digits (a phone, a card, an account) written together; not a decimal fraction
 * (digits after a digit and a point). After a point alone it is one: `2026-10-05..5125550101`.
 */
const LONG_NUMBER_RE = /(?<!\d)(?<!\d\.)\d{9,}(?!\d)/g;

const digitCount = (text: string): number => text.replace(/\D/g, '').length;

function maskNumbers(text: string): string {
  return text
    .replace(PHONE_RE, (phone) => {
      const digits = digitCount(phone);
      if (digits < 7) return phone;
      return digits > 15 ? NUMBER_MASK : PHONE_MASK;
    })
    .replace(LONG_NUMBER_RE, NUMBER_MASK);
}

/** Message text with every email, phone number and long run of digits masked. */
export function redactMessage(text: string): string {
  const withoutEmails = text.replace(EMAIL_RE, EMAIL_MASK);
  // Dates and times are cut out first, so that `2024-06-01 10:00` never reads as a phone.
  let out = '';
  let last = 0;
  for (const match of withoutEmails.matchAll(DATE_OR_TIME_RE)) {
    out += maskNumbers(withoutEmails.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + maskNumbers(withoutEmails.slice(last));
}

/** True when the text holds an email address, a phone number or a long run of digits. */
export function holdsContactOrNumber(text: string): boolean {
  return HAS_EMAIL_RE.test(text) || redactMessage(text) !== text;
}

/** An issue (or any message-bearing record) with its message, and its column, redacted. */
export function redactIssue<T extends { message: string; column?: string | null }>(issue: T): T {
  const message = redactMessage(issue.message);
  const column =
    issue.column === undefined || issue.column === null ? issue.column : redactMessage(issue.column);
  return message === issue.message && column === issue.column ? issue : { ...issue, message, column };
}

/** What a message says instead of quoting a personal value: `a value of 24 characters`. */
export function describeValue(text: string): string {
  const length = [...text].length;
  return `a value of ${length} character${length === 1 ? '' : 's'}`;
}

/**
 * Words that are not parts of a person's name: function words and the words of the categories
 * exports carry (`In Center`, `Front Desk`, `Mobile App`, `Call Center`, `Checked In`). A value
 * with one of them is not read as a name — a column of such values is still kept only as an
 * enumeration (personalValues.ts), so a name that happens to hold one is not kept for that.
 */
const NOT_NAME_WORDS = new Set(
  (
    'a an the in at on of for to by via and or with from per no not new ' +
    'center centre desk front room online booking booked book app mobile web website call kiosk ' +
    'phone email text sms office clinic spa store shop service services package membership club ' +
    'plan card cash check gift credit debit paid unpaid open closed active inactive cancelled ' +
    'canceled completed pending confirmed checked returning existing visit time referral google ' +
    'facebook instagram yelp tiktok ads search social media direct organic other none unknown tier ' +
    'vip standard premium basic group team treatment consult consultation follow up main level ' +
    'floor suite annual monthly weekly daily day week month year show late early walk'
  ).split(' '),
);

/**
 * A person's name as exports write it: two to five capitalized words of letters (`Olivia Quartz`,
 * `OLIVIA QUARTZ`, `K. Sample`, `Mary-Jane O'Brien`), or `Last, First` in any case — none of
 * them a word names are not made of (`In Center` is a place, not a person).
 */
export function looksLikePersonName(text: string): boolean {
  const trimmed = text.trim();
  const words = trimmed.split(/[\s,]+/).filter(Boolean);
  if (words.some((w) => NOT_NAME_WORDS.has(w.toLowerCase().replace(/[^\p{L}]/gu, '')))) return false;
  if (/^[\p{L}][\p{L}'’.-]*,\s*[\p{L}][\p{L}'’.-]*(?:\s+[\p{L}][\p{L}'’.-]*)?$/u.test(trimmed)) return true;
  return (
    words.length >= 2 &&
    words.length <= 5 &&
    words.every((w) => /^\p{Lu}[\p{L}'’.-]*$/u.test(w)) &&
    words.some((w) => /\p{L}{2,}/u.test(w))
  );
}

/** Free text: a note or a message rather than a value (long, or many words). */
export function looksLikeFreeText(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.length > 64) return true;
  const words = trimmed.split(/\s+/).filter(Boolean);
  return words.length >= 5 || (words.length >= 2 && trimmed.length >= 30);
}

/** A value a message must not quote: contact details, a long number, a name or free text. */
export function looksPersonalValue(text: string): boolean {
  return holdsContactOrNumber(text) || looksLikePersonName(text) || looksLikeFreeText(text);
}

/**
 * A cell quoted in a message: `"about 108"` as JSON quotes it (cut at `max` characters), or
 * `a value of 24 characters` when it looks like personal data.
 */
export function quoteValue(text: string, max = 60): string {
  if (looksPersonalValue(text)) return describeValue(text);
  return JSON.stringify(text.length > max ? text.slice(0, max) : text);
}

/** An id or value quoted in an error message shows at most this many characters. */
export const MAX_ECHO_CHARS = 64;

/** `text` as an error may quote it: whole when short, else its start and its length. */
export function capEcho(text: string, max = MAX_ECHO_CHARS): string {
  return text.length <= max
    ? text
    : `${text.slice(0, max)}…(${text.length.toLocaleString('en-US')} characters)`;
}

/**
 * An id the caller gave (metric, location, provider, period) quoted in an error: JSON-quoted and
 * cut by `capEcho`, so a request can never make an answer as long as itself.
 */
export function quoteId(text: string): string {
  return JSON.stringify(capEcho(text));
}
