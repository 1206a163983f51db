/**
 * One provider, many spellings: `Jane Doe, RN`, `Doe, Jane`, `DR. JANE DOE` and `jane  doe`
 * are the same person in different exports of the same practice. Names are reduced to a key
 * (credentials and titles stripped, "Last, First" turned around, case and spacing folded) and
 * the key decides the provider id, so appointments, sales and payroll land on one provider.
 */

const TITLES = new Set(['dr', 'mr', 'mrs', 'ms', 'miss', 'mx', 'prof']);
const CREDENTIALS = new Set([
  'md',
  'do',
  'np',
  'fnp',
  'aprn',
  'fnp-c',
  'aprn-c',
  'pa',
  'pa-c',
  'rn',
  'bsn',
  'lpn',
  'lvn',
  'le',
  'lme',
  'cmla',
  'dnp',
  'phd',
  'msn',
  'cosmetologist',
  'esthetician',
  'aesthetician',
  'ma',
  'dds',
  'jr',
  'sr',
  'ii',
  'iii',
]);

function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z' -]+/g, ' ')
    .split(/[\s]+/)
    .map((w) => w.replace(/^[-']+|[-']+$/g, ''))
    .filter((w) => w !== '');
}

/** `Dr. John Smith MD` → `john smith`; `Doe, Jane RN` → `jane doe`; '' for a name that is only credentials. */
export function providerNameKey(name: string): string {
  const parts = name.split(',').map((p) => p.trim());
  // "Doe, Jane" (two parts, the second not a credential) is "Last, First"; "Jane Doe, RN" is not.
  const isCredentialPart = (part: string) => {
    const w = words(part);
    return w.length > 0 && w.every((x) => CREDENTIALS.has(x) || TITLES.has(x));
  };
  const nameParts = parts.filter((p) => p !== '' && !isCredentialPart(p));
  const ordered =
    nameParts.length === 2 && parts.length >= 2 && !isCredentialPart(parts[1] ?? '')
      ? [nameParts[1] ?? '', nameParts[0] ?? '']
      : nameParts;
  const kept = words(ordered.join(' ')).filter((w) => !TITLES.has(w) && !CREDENTIALS.has(w));
  return kept.join(' ');
}

/** `jane doe` → `Jane Doe`: the display name shown for a provider built from a key. */
export function displayNameOfKey(key: string): string {
  return key
    .split(' ')
    .map((w) => w.replace(/(^|[-'])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase()))
    .join(' ');
}

export type ProviderMatch =
  | { kind: 'matched'; id: string; key: string }
  | { kind: 'unmatched'; key: string }
  | { kind: 'ambiguous'; key: string; candidates: string[] };

/**
 * Resolves provider names against an explicit map (name → canonical provider id) the user
 * keeps for names the rules cannot join (a maiden name, a nickname). A name matches an
 * entry with the same key, else the only entry with the same last name and first initial;
 * two such entries make it ambiguous rather than a guess.
 */
export function createProviderDirectory(entries: ReadonlyMap<string, string> = new Map()) {
  const byKey = new Map<string, string>();
  for (const [name, id] of entries) byKey.set(providerNameKey(name), id);
  const initialAndLast = (key: string) => {
    const w = key.split(' ');
    return w.length < 2 ? key : `${w[0]?.[0] ?? ''} ${w[w.length - 1] ?? ''}`;
  };
  return {
    size: byKey.size,
    resolve(name: string): ProviderMatch {
      const key = providerNameKey(name);
      const exact = byKey.get(key);
      if (exact !== undefined) return { kind: 'matched', id: exact, key };
      const loose = initialAndLast(key);
      const candidates = [...byKey].filter(([k]) => initialAndLast(k) === loose).map(([, id]) => id);
      const unique = [...new Set(candidates)];
      if (unique.length === 1 && unique[0] !== undefined) return { kind: 'matched', id: unique[0], key };
      if (unique.length > 1) return { kind: 'ambiguous', key, candidates: unique };
      return { kind: 'unmatched', key };
    },
  };
}

export type ProviderDirectory = ReturnType<typeof createProviderDirectory>;
