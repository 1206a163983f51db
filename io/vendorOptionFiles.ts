import fs from 'node:fs';

import { parse } from 'csv-parse/sync';

import { type MappingProfile, MappingProfileSchema } from '../shared/connectors/columnMapping';
import { isServiceCategory, normalizeServiceName } from '../shared/connectors/serviceCategories';
import type { ServiceCategory } from '../shared/model/canonicalBundle';
import { SERVICE_CATEGORIES } from '../shared/model/canonicalBundle';

/** The files `caliper ingest` takes beside the exports: `--services` overrides and `--mapping` profiles. */

export class VendorOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VendorOptionError';
  }
}

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new VendorOptionError(`${what} ${file}: no such file`);
  }
}

/** `--services FILE`: a CSV `service_name,category` naming the category of services the rules miss. */
export function readServiceOverrides(file: string): Map<string, ServiceCategory> {
  let rows: string[][];
  try {
    rows = parse(readText(file, '--services'), {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    });
  } catch (error) {
    throw new VendorOptionError(`--services ${file}: not a readable CSV (${(error as Error).message})`);
  }
  const overrides = new Map<string, ServiceCategory>();
  for (const [i, row] of rows.entries()) {
    const [name = '', category = ''] = row;
    if (i === 0 && name.toLowerCase() === 'service_name') continue;
    if (!isServiceCategory(category)) {
      throw new VendorOptionError(
        `--services ${file} row ${i + 1}: ${JSON.stringify(category)} is not a category (${SERVICE_CATEGORIES.join(', ')})`,
      );
    }
    overrides.set(normalizeServiceName(name), category);
  }
  return overrides;
}

/** `--providers FILE`: a CSV `provider_name,provider_id` joining the spellings the rules cannot (a maiden name). */
export function readProviderIds(file: string): Map<string, string> {
  let rows: string[][];
  try {
    rows = parse(readText(file, '--providers'), {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    });
  } catch (error) {
    throw new VendorOptionError(`--providers ${file}: not a readable CSV (${(error as Error).message})`);
  }
  const ids = new Map<string, string>();
  for (const [i, row] of rows.entries()) {
    const [name = '', id = ''] = row;
    if (i === 0 && name.toLowerCase() === 'provider_name') continue;
    if (name === '' || id === '')
      throw new VendorOptionError(`--providers ${file} row ${i + 1}: needs a name and a provider_id`);
    ids.set(name, id);
  }
  return ids;
}

/** `--mapping FILE`: a column mapping written by `caliper map` and edited by the user. */
export function readMappingFile(file: string): MappingProfile {
  let json: unknown;
  try {
    json = JSON.parse(readText(file, '--mapping'));
  } catch (error) {
    if (error instanceof VendorOptionError) throw error;
    throw new VendorOptionError(`--mapping ${file}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = MappingProfileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`)
      .join('; ');
    throw new VendorOptionError(`--mapping ${file}: not a column mapping (${problems})`);
  }
  return parsed.data;
}
