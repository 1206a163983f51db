import { SERVICE_CATEGORIES, type ServiceCategory } from '../model/canonicalBundle';
import { parseDollarsToCents } from '../model/money';
import type { CanonicalRecord, ConversionIssue } from './vendorProfile';

/**
 * Vendor service names → the canonical categories of metrics.md. Menus name the same
 * treatment in many ways (`Botox - per unit`, `Tox: Dysport`, `BBL Full Face`), so the rules
 * look for brand and treatment words. Order matters: the first rule that matches wins, so a
 * `Botox consultation` is a consultation and `RF microneedling` an energy device.
 */
const RULES: readonly { category: ServiceCategory; pattern: RegExp }[] = [
  { category: 'consultation', pattern: /\b(consult|consultation|consults|assessment|evaluation)\b/ },
  {
    category: 'energy_device',
    pattern:
      /\b(morpheus ?8?|ultherapy|thermage|rf microneedling|radio ?frequency|vivace|sofwave|hifu|emface)\b/,
  },
  {
    category: 'body_contouring',
    pattern:
      /\b(coolsculpting|cool sculpting|emsculpt|sculpsure|kybella|body contouring|cryolipolysis|trusculpt)\b/,
  },
  {
    category: 'neurotoxin',
    // Plurals and `wrinkle relaxer` are how vendors name the category (Zenoti `Service Subcategory`).
    pattern:
      /\b(botox|dysport|xeomin|jeuveau|daxxify|letybo|neurotoxins?|tox|toxins?|neuromodulators?|wrinkle relaxers?|lip flip)\b/,
  },
  {
    category: 'filler',
    pattern:
      /\b(juvederm|voluma|volbella|vollure|restylane|rha|radiesse|sculptra|belotero|versa|filler|fillers|dermal filler|lip augmentation)\b/,
  },
  {
    category: 'laser',
    pattern:
      /\b(laser|lhr|bbl|broadband light|ipl|photofacial|moxi|halo|fraxel|picosure|picoway|co2|clear ?\+ ?brilliant|resurfacing|tattoo removal)\b/,
  },
  { category: 'facial', pattern: /\b(hydrafacial|hydra facial|facial|facials|diamondglow|oxygen)\b/ },
  {
    category: 'skin_treatment',
    pattern:
      /\b(peel|peels|microneedling|micro needling|skinpen|dermaplaning|dermaplane|microdermabrasion|prp|vi peel|skin treatment)\b/,
  },
];

export type ServiceCategoryOverrides = ReadonlyMap<string, ServiceCategory>;

/** Service names are compared lower-cased, accents and punctuation folded to spaces. */
export function normalizeServiceName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9+]+/g, ' ')
    .trim();
}

export interface CategoryMatch {
  category: ServiceCategory;
  /** false: no rule and no override named it, so it fell back to other_service. */
  matched: boolean;
}

/** The category of a service name; `hint` is the vendor's own category (Zenoti `Service Category`). */
export function categorizeService(
  name: string,
  overrides: ServiceCategoryOverrides = new Map(),
  hint = '',
): CategoryMatch {
  const key = normalizeServiceName(name);
  const override = overrides.get(key);
  if (override !== undefined) return { category: override, matched: true };
  for (const text of [key, normalizeServiceName(hint)]) {
    if (text === '') continue;
    const rule = RULES.find((r) => r.pattern.test(text));
    if (rule) return { category: rule.category, matched: true };
  }
  return { category: 'other_service', matched: false };
}

export function isServiceCategory(text: string): text is ServiceCategory {
  return (SERVICE_CATEGORIES as readonly string[]).includes(text);
}

/**
 * The services no rule recognized, as data-quality warnings with their share of the sales
 * revenue in these records, so the user sees which overrides (`--services`) matter most.
 */
export function unmappedServiceWarnings(
  records: readonly CanonicalRecord[],
  overrides: ServiceCategoryOverrides = new Map(),
): { record: CanonicalRecord; issue: ConversionIssue }[] {
  const netByCode = new Map<string, number>();
  let totalNet = 0;
  for (const r of records) {
    if (r.entity !== 'sales') continue;
    // Canonical cells written by the profiles (money.ts); an empty discount is no discount, and
    // this share only ranks services for a warning.
    const net =
      (parseDollarsToCents(r.values.gross ?? '') ?? 0) - (parseDollarsToCents(r.values.discount ?? '') ?? 0);
    totalNet += net;
    const code = r.values.service_code ?? '';
    if (code !== '') netByCode.set(code, (netByCode.get(code) ?? 0) + net);
  }
  const warned = new Set<string>();
  const issues: { record: CanonicalRecord; issue: ConversionIssue }[] = [];
  for (const r of records) {
    if (r.entity !== 'services') continue;
    const code = r.values.service_code ?? '';
    const name = r.values.service_name ?? '';
    const fellBack = r.values.category === 'other_service' && !categorizeService(name, overrides).matched;
    if (warned.has(code) || !fellBack) continue;
    warned.add(code);
    const net = netByCode.get(code) ?? 0;
    const share =
      totalNet > 0 ? `${((100 * net) / totalNet).toFixed(1)}% of sales revenue` : 'no sales revenue';
    issues.push({
      record: r,
      issue: {
        severity: 'warning',
        row: r.sourceRow,
        column: 'service_name',
        code: 'unmapped_service',
        message: `service ${JSON.stringify(name)} matches no category rule, so it counts as other_service (${share}); name its category with --services`,
      },
    });
  }
  return issues;
}
