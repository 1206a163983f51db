import fs from 'node:fs';
import path from 'node:path';

import { readVendorCsv } from '../../shared/connectors/vendorCsv';

/*
 * What Caliper's fixtures hold that must never come out again, for the grep tests
 * (tests/cli/privacyGrep.test.ts through the CLI, tests/functions/privacyGrep.test.ts through the
 * API): every email, phone number, patient name and free-text note in the fixture files an ingest
 * reads.
 *
 * Staff are not patients: provider, employee, staff and instructor names are stored as provider
 * display names by design (a provider's profitability is reported by name), so their columns are
 * not searched. Location, service, plan and campaign names are not personal either.
 */

export const FIXTURES = path.join(__dirname, '..', 'fixtures');
export const VENDORS = path.join(FIXTURES, 'vendors');
export const REAL = path.join(FIXTURES, 'real');
export const BUNDLES = path.join(FIXTURES, 'bundles');
export const PRIVACY = path.join(FIXTURES, 'privacy');

/** Rates for the foreign-currency fixtures (IDR, JPY, AUD, EUR): any rate will do here. */
export const FX_RATES: Readonly<Record<string, number>> = {
  IDR: 0.0000615,
  JPY: 0.0067,
  AUD: 0.65,
  EUR: 1.08,
};

/** The location the fixture exports that name none belong to (`--location`, `?location=`). */
export const EXPORTS_LOCATION = 'Evolve Austin';

function filesUnder(root: string): string[] {
  return fs
    .readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** The files an ingest reads: data files, not expected outputs, mappings, notes or provenance. */
function isInput(file: string): boolean {
  return /\.(csv|json)$/i.test(file) && !/\.(expected|mapping)(\.[a-z]+)*\.json$/i.test(file);
}

/** Every fixture file an ingest reads: vendor and real exports, canonical bundles, the privacy fixtures. */
export const fixtureInputs: readonly string[] = [VENDORS, REAL, BUNDLES, PRIVACY]
  .flatMap(filesUnder)
  .filter(isInput);

// ---------------------------------------------------------------------------------------------
// What the fixtures hold that must never come out again.

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/**
 * North American numbers as exports write them, international ones written with `+`, and the
 * fixtures' unformatted ones (all invented: the 555 exchange; a bare 10-digit run elsewhere is a
 * Stripe timestamp or an ads account id, not a phone).
 */
const PHONE =
  /(?:\+1[\s.-]?)?\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}\b|\+\d{1,3}(?:[\s.-]?\d{2,4}){2,5}\b|\b[2-9]\d{2}555\d{4}\b/g;

/** Header words of columns that hold a patient's, client's or lead's name (never staff). */
const PERSON_NAME_HEADER =
  /^(?:(?:guest|client|customer|patient|member|lead|card ?holder)(?: full)? ?name|(?:first|last|full) ?name|client|patient|customer|lead|card holder)$/;
/** Header words of free-text columns (notes and messages). */
const FREE_TEXT_HEADER = /^(?:(?:appointment |guest |client )?notes?|comments?|message)$/;
/** JSON objects whose `name` is a person's (a customer, a card holder…). */
const PERSON_OBJECTS = new Set([
  'customer',
  'client',
  'billing_details',
  'shipping',
  'recipient',
  'buyer',
  'guest',
  'patient',
  'cardholder',
  'owner',
]);

function normalized(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[_\s-]+/g, ' ');
}

function namesInCsv(text: string): string[] {
  let csv;
  try {
    csv = readVendorCsv(text);
  } catch {
    return [];
  }
  const headers = csv.headers.map(normalized);
  const wanted = headers
    .map((h, i) => (PERSON_NAME_HEADER.test(h) || FREE_TEXT_HEADER.test(h) ? i : -1))
    .filter((i) => i !== -1);
  return csv.rows.flatMap((r) => wanted.map((i) => (r.cells[i] ?? '').trim()));
}

function namesInJson(json: unknown, parent = ''): string[] {
  if (Array.isArray(json)) return json.flatMap((item) => namesInJson(item, parent));
  if (typeof json !== 'object' || json === null) return [];
  const record = json as Record<string, unknown>;
  const found: string[] = [];
  const text = (key: string) => {
    const match = Object.keys(record).find((k) => k.toLowerCase().replace(/_/g, '') === key);
    const value = match === undefined ? undefined : record[match];
    return typeof value === 'string' ? value.trim() : '';
  };
  const first = text('firstname') || text('givenname');
  const last = text('lastname') || text('familyname');
  if (first !== '' && last !== '') found.push(`${first} ${last}`);
  if (PERSON_OBJECTS.has(parent.toLowerCase()) && text('name') !== '') found.push(text('name'));
  for (const [key, value] of Object.entries(record)) found.push(...namesInJson(value, key));
  return found;
}

export interface Needle {
  kind: 'email' | 'phone' | 'name or note';
  text: string;
  file: string;
}

/** What `file` holds that must never come out again: its emails, phones, patient names and notes. */
export function needlesOf(file: string): Needle[] {
  const raw = fs.readFileSync(file, 'utf8');
  const rel = path.relative(FIXTURES, file);
  const needles: Needle[] = [];
  for (const m of raw.matchAll(EMAIL)) needles.push({ kind: 'email', text: m[0], file: rel });
  for (const m of raw.matchAll(PHONE)) {
    needles.push({ kind: 'phone', text: m[0].trim(), file: rel });
    // As the ingest would normalize it, too: digits only, with and without a country code.
    const digits = m[0].replace(/\D/g, '');
    needles.push({ kind: 'phone', text: digits, file: rel });
    if (digits.length === 11 && digits.startsWith('1'))
      needles.push({ kind: 'phone', text: digits.slice(1), file: rel });
    // And as E.164 would write a North American one (+1 and ten digits).
    if (digits.length === 10) needles.push({ kind: 'phone', text: `1${digits}`, file: rel });
  }
  let names: string[] = [];
  if (file.toLowerCase().endsWith('.csv')) names = namesInCsv(raw);
  else {
    try {
      names = namesInJson(JSON.parse(raw.replace(/^\uFEFF/, '')) as unknown);
    } catch {
      names = [];
    }
  }
  for (const name of names) {
    // A name needs two parts to be searched for as a name ("Gold" is a tier, "K. Sample" a client).
    if (/\S\s+\S/.test(name) || name.length >= 12)
      needles.push({ kind: 'name or note', text: name, file: rel });
  }
  return needles;
}

/** Every needle of every fixture input. */
export function fixtureNeedles(): Needle[] {
  return fixtureInputs.flatMap(needlesOf);
}

/**
 * The needles found in `places` (case-insensitively), each as `kind "text" (fixture) in place`,
 * once: the list a grep test expects to be empty.
 */
export function needlesIn(needles: readonly Needle[], places: Record<string, string>): string[] {
  // A set of every GRAM-character slice of each place first: a needle is then looked for with
  // `includes` only where its first slice occurs, so tens of thousands of values are searched in
  // megabytes of output in a second, not a minute.
  const lowered = Object.entries(places).map(([where, text]) => {
    const haystack = text.toLowerCase();
    const grams = new Set<string>();
    for (let i = 0; i + GRAM <= haystack.length; i++) grams.add(haystack.slice(i, i + GRAM));
    return { where, haystack, grams };
  });
  const leaks = needles.flatMap((n) => {
    const text = n.text.toLowerCase();
    const found = isNumberNeedle(text) ? holdsNumber : (haystack: string) => haystack.includes(text);
    return lowered
      .filter((p) => (text.length < GRAM || p.grams.has(text.slice(0, GRAM))) && found(p.haystack, text))
      .map((p) => `${n.kind} ${JSON.stringify(n.text)} (${n.file}) in ${p.where}`);
  });
  return [...new Set(leaks)];
}

/**
 * Whether `haystack` holds the phone's digits as a number of their own: not inside a longer run
 * of digits, where they are a score's or a total's digits (a churn risk 0.79541522018025… holds
 * 4152201802). A leaked number stands alone or formatted; the country code has its own needle.
 */
function holdsNumber(haystack: string, digits: string): boolean {
  for (let at = haystack.indexOf(digits); at !== -1; at = haystack.indexOf(digits, at + 1)) {
    if (standsAlone(haystack, at, at + digits.length)) return true;
  }
  return false;
}

/** A needle of digits only (a phone as the ingest normalizes it): found only standing alone. */
export const isNumberNeedle = (text: string): boolean => /^\d+$/.test(text);

/** Whether `haystack[start, end)` has no digit right before or right after it. */
export function standsAlone(haystack: string, start: number, end: number): boolean {
  return !isDigit(haystack[start - 1]) && !isDigit(haystack[end]);
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

const GRAM = 6;
