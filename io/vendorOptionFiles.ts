import fs from 'node:fs';

import { parse } from 'csv-parse/sync';

import { type MappingProfile, MappingProfileSchema } from '../shared/connectors/columnMapping';
import {
  OptionFileError,
  type OptionRow,
  providerIdsFrom,
  serviceCategoriesFrom,
} from '../shared/connectors/optionFiles';
import type { ServiceCategory } from '../shared/model/canonicalBundle';

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

/** The rows of a CSV option file's text, numbered as its lines. */
function rowsOfText(text: string, where: string): OptionRow[] {
  try {
    const rows: string[][] = parse(text, { bom: true, trim: true, relax_column_count: true });
    return rows.map((cells, i) => ({ row: i + 1, cells }));
  } catch (error) {
    throw new VendorOptionError(`${where}: not a readable CSV (${(error as Error).message})`);
  }
}

function readWith<T>(text: string, where: string, read: (rows: OptionRow[]) => T): T {
  const rows = rowsOfText(text, where);
  try {
    return read(rows);
  } catch (error) {
    if (!(error instanceof OptionFileError)) throw error;
    throw new VendorOptionError(`${where} row ${error.row}: ${error.message}`);
  }
}

function withFile<T>(file: string, flag: string, read: (rows: OptionRow[]) => T): T {
  return readWith(readText(file, flag), `${flag} ${file}`, read);
}

/** A `service_name,category` file found inside an upload: VendorOptionError names it and the row. */
export function serviceCategoriesOfText(text: string, displayPath: string): Map<string, ServiceCategory> {
  return readWith(text, displayPath, serviceCategoriesFrom);
}

/** A `provider_name,provider_id` file found inside an upload: VendorOptionError names it and the row. */
export function providerIdsOfText(text: string, displayPath: string): Map<string, string> {
  return readWith(text, displayPath, providerIdsFrom);
}

/** `--services FILE`: a CSV `service_name,category` naming the category of services the rules miss. */
export function readServiceOverrides(file: string): Map<string, ServiceCategory> {
  return withFile(file, '--services', serviceCategoriesFrom);
}

/** `--providers FILE`: a CSV `provider_name,provider_id` joining the spellings the rules cannot (a maiden name). */
export function readProviderIds(file: string): Map<string, string> {
  return withFile(file, '--providers', providerIdsFrom);
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
