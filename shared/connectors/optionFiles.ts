import { SERVICE_CATEGORIES, type ServiceCategory } from '../model/canonicalBundle';
import { isServiceCategory, normalizeServiceName } from './serviceCategories';

/*
 * The two small files a user writes beside the exports: service categories the rules miss
 * (`service_name,category`) and provider ids joining spellings the rules cannot
 * (`provider_name,provider_id`). Given to `caliper ingest` as `--services` / `--providers`, or
 * found inside an upload by their header, where they apply to the exports of their folder and
 * its sub-folders. One reader for both ways in.
 */

export type OptionFileKind = 'service_categories' | 'provider_ids';

const HEADERS: Record<OptionFileKind, readonly [string, string]> = {
  service_categories: ['service_name', 'category'],
  provider_ids: ['provider_name', 'provider_id'],
};

/** What the file is for, in words (reports list it beside the recognized exports). */
export const OPTION_FILE_TITLES: Record<OptionFileKind, string> = {
  service_categories: 'service categories',
  provider_ids: 'provider ids',
};

export class OptionFileError extends Error {
  constructor(
    readonly row: number,
    message: string,
  ) {
    super(message);
    this.name = 'OptionFileError';
  }
}

export interface OptionRow {
  /** 1-based line of the file. */
  row: number;
  cells: readonly string[];
}

/** The option file a header names exactly (two columns, any case), or null. */
export function optionFileKindOf(headers: readonly string[]): OptionFileKind | null {
  const names = headers.map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
  for (const [kind, expected] of Object.entries(HEADERS) as [OptionFileKind, readonly [string, string]][]) {
    if (names.length === 2 && names[0] === expected[0] && names[1] === expected[1]) return kind;
  }
  return null;
}

/** The rows after an optional header row, blank rows skipped. */
function bodyRows(kind: OptionFileKind, rows: readonly OptionRow[]): OptionRow[] {
  const filled = rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const first = filled[0];
  const hasHeader = first !== undefined && first.cells[0]?.trim().toLowerCase() === HEADERS[kind][0];
  return hasHeader ? filled.slice(1) : filled;
}

/** `service_name,category` rows → normalized service name → category. Throws OptionFileError naming the row. */
export function serviceCategoriesFrom(rows: readonly OptionRow[]): Map<string, ServiceCategory> {
  const categories = new Map<string, ServiceCategory>();
  for (const { row, cells } of bodyRows('service_categories', rows)) {
    const name = cells[0]?.trim() ?? '';
    const category = cells[1]?.trim() ?? '';
    if (!isServiceCategory(category)) {
      throw new OptionFileError(
        row,
        `${JSON.stringify(category)} is not a category (${SERVICE_CATEGORIES.join(', ')})`,
      );
    }
    categories.set(normalizeServiceName(name), category);
  }
  return categories;
}

/** `provider_name,provider_id` rows → provider name as exported → provider id. Throws OptionFileError naming the row. */
export function providerIdsFrom(rows: readonly OptionRow[]): Map<string, string> {
  const ids = new Map<string, string>();
  for (const { row, cells } of bodyRows('provider_ids', rows)) {
    const name = cells[0]?.trim() ?? '';
    const id = cells[1]?.trim() ?? '';
    if (name === '' || id === '') throw new OptionFileError(row, 'needs a name and a provider_id');
    ids.set(name, id);
  }
  return ids;
}
