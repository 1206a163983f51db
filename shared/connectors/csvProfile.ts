import type { EntityName } from '../model/canonicalBundle';
import { quoteValue } from '../privacy/redact';
import {
  applyCurrency,
  CURRENCY_COLUMN,
  CURRENCY_COLUMN_NAMES,
  currencyCode,
  currencyOfCell,
  currencyOfHeader,
} from './currency';
import { lookUpLocation } from './locationIdentity';
import { type AmountRules, type Cents, centsToMoneyCell, textToCents } from './money';
import { createProviderDirectory, displayNameOfKey, providerNameKey } from './providerIdentity';
import { categorizeService } from './serviceCategories';
import { findColumn, normalizeHeaderName } from './vendorCsv';
import type {
  CanonicalRecord,
  ConversionContext,
  ConversionIssue,
  ConversionResult,
  DetectionSample,
  VendorInput,
  VendorProfile,
} from './vendorProfile';
import { slug, vendorDate, vendorDateTime } from './vendorValues';

/**
 * A CSV vendor report as data: the header spellings of each field it reads, the headers that
 * identify it, and a row mapping. Detection, column lookup, value normalizers, id namespacing
 * and the derived dimension rows (services, providers, patients) are the same for every CSV
 * report and live here, so a profile file holds only what is specific to its report.
 */

export interface CsvField {
  /** Header spellings, compared in normalizeHeaderName form; a RegExp tests the normalized header. */
  aliases: readonly (string | RegExp)[];
  /** A report without this column cannot be converted (and is not detected as this report). */
  required?: boolean;
}

export interface CsvProfileSpec<F extends string> {
  id: string;
  vendor: string;
  report: string;
  /** Default id namespace, e.g. `zenoti`. */
  idPrefix: string;
  /** Headers a typical export carries (as exported); the more present, the higher the score. */
  signature: readonly string[];
  /** A file name that hints at the report (`Business_KPI_2026-10-01.csv`) adds a little to the score. */
  fileName?: RegExp;
  fields: Record<F, CsvField>;
  convert(rows: readonly CsvRowReader<F>[], conversion: CsvConversion<F>): void;
}

export interface CsvRowReader<F extends string> {
  row: number;
  /** The trimmed cell, '' when empty or when the file has no such column. */
  get(field: F): string;
}

/** Scores above this pick a profile without `--profile`. */
export const DETECTION_THRESHOLD = 0.6;

export function defineCsvProfile<F extends string>(spec: CsvProfileSpec<F>): VendorProfile {
  const signature = spec.signature.map(normalizeHeaderName);
  return {
    id: spec.id,
    vendor: spec.vendor,
    report: spec.report,
    format: 'csv',
    signature,
    detect(sample: DetectionSample): number {
      if (sample.format !== 'csv') return 0;
      const headers = new Set(sample.headers.map(normalizeHeaderName));
      const overlap = signature.filter((h) => headers.has(h)).length / Math.max(1, signature.length);
      const required = Object.values<CsvField>(spec.fields).filter((f) => f.required);
      const present = required.filter((f) => findColumn(sample.headers, f.aliases) !== -1).length;
      const nameBonus = spec.fileName?.test(sample.fileName) ? 0.05 : 0;
      // A file with most of a report's columns but one required column missing is still that
      // report: it is recognized, and its conversion then names the missing column.
      const score = 0.45 * overlap + 0.5 * (present / Math.max(1, required.length)) + nameBonus;
      return Math.min(1, Math.round(score * 100) / 100);
    },
    convert(input: VendorInput, context: ConversionContext): ConversionResult {
      const conversion = new CsvConversion<F>(spec, context, input);
      if (input.format !== 'csv') {
        conversion.fileError('wrong_format', `${spec.id} reads CSV files, not JSON`);
        return conversion.result();
      }
      const columns = new Map<F, number>();
      for (const [field, def] of Object.entries<CsvField>(spec.fields) as [F, CsvField][]) {
        const index = findColumn(input.headers, def.aliases);
        if (index !== -1) columns.set(field, index);
        else if (def.required) {
          const name = typeof def.aliases[0] === 'string' ? def.aliases[0] : field;
          conversion.issues.push({
            severity: 'error',
            row: input.headerRow,
            column: name,
            code: 'missing_column',
            message: `required column "${name}" of ${spec.vendor} ${spec.report} is missing from the header`,
          });
        }
      }
      if (conversion.issues.some((i) => i.severity === 'error')) return conversion.result();
      const readers = input.rows.map((r): CsvRowReader<F> => ({
        row: r.row,
        get: (field) => {
          const index = columns.get(field);
          return index === undefined ? '' : (r.cells[index] ?? '').trim();
        },
      }));
      conversion.columns = columns;
      conversion.headers = input.headers;
      spec.convert(readers, conversion);
      return withCurrency(conversion, input, context);
    },
  };
}

/**
 * The currency of a CSV file's rows, as currency.ts reads it (a row's own currency value, set by
 * the profile; else a currency column such as Google Ads `Currency code`; else a currency sign in
 * the row's money cells; else a money header's suffix such as `Amount spent (IDR)`), then the
 * records converted or refused by the one currency module.
 */
function withCurrency<F extends string>(
  conversion: CsvConversion<F>,
  input: Extract<VendorInput, { format: 'csv' }>,
  context: ConversionContext,
): ConversionResult {
  const headerCodes = new Map<string, string>();
  for (const header of input.headers) {
    const code = currencyOfHeader(header);
    if (code !== null && !headerCodes.has(code)) headerCodes.set(code, header);
  }
  if (headerCodes.size > 1) {
    conversion.fileError(
      'mixed_currency',
      `the header names ${headerCodes.size} currencies (${[...headerCodes.values()].map((h) => JSON.stringify(h)).join(', ')}): export one currency per file`,
    );
    return conversion.result();
  }
  const [fileCode, fileHeader] = [...headerCodes][0] ?? [null, null];
  const column = input.headers.findIndex((h) => CURRENCY_COLUMN_NAMES.has(normalizeHeaderName(h)));
  const cells = new Map(input.rows.map((r) => [r.row, r.cells]));
  const records = conversion.records.map((record) => {
    if ((record.values[CURRENCY_COLUMN] ?? '') !== '') return record;
    const own = column === -1 ? null : currencyCode(cells.get(record.sourceRow)?.[column]);
    const code = own ?? conversion.cellCurrencies.get(record.sourceRow) ?? fileCode;
    return code === null ? record : { ...record, values: { ...record.values, [CURRENCY_COLUMN]: code } };
  });
  const source =
    fileHeader !== null
      ? `column "${fileHeader}"`
      : column === -1
        ? undefined
        : `column "${input.headers[column]}"`;
  const converted = applyCurrency(
    records,
    context,
    (record) => ({ row: record.sourceRow, label: `row ${record.sourceRow}` }),
    source,
  );
  return { records: converted.records, issues: [...conversion.issues, ...converted.issues] };
}

/** What a profile's row mapping uses: emit rows, report problems, normalize values, make ids. */
export class CsvConversion<F extends string> {
  readonly records: CanonicalRecord[] = [];
  readonly issues: ConversionIssue[] = [];
  columns = new Map<F, number>();
  headers: readonly string[] = [];
  readonly prefix: string;
  private readonly emitted = new Set<string>();
  private readonly providers;
  private readonly providerProblems = new Set<string>();
  private missingLocationReported = false;
  /** Rows whose money cells write their currency (`€45.00`), for currency.ts. */
  readonly cellCurrencies = new Map<number, string>();

  constructor(
    private readonly spec: CsvProfileSpec<F>,
    readonly context: ConversionContext,
    readonly input: VendorInput,
  ) {
    this.prefix = context.idPrefix ?? spec.idPrefix;
    this.providers = createProviderDirectory(context.providerIds);
  }

  get decimalComma(): boolean {
    return this.input.format === 'csv' && this.input.decimalComma;
  }

  result(): ConversionResult {
    return { records: this.records, issues: this.issues };
  }

  emit(entity: EntityName, row: number, values: Record<string, string>): void {
    this.records.push({ entity, sourceRow: row, values });
  }

  /** Emits a dimension row (a service, provider or patient) the first time its key is seen. */
  emitOnce(entity: EntityName, key: string, row: number, values: Record<string, string>): void {
    const k = `${entity}\u0000${key}`;
    if (this.emitted.has(k)) return;
    this.emitted.add(k);
    this.emit(entity, row, values);
  }

  /** The vendor's header for a field, as the user sees it in the file. */
  columnName(field: F): string {
    const index = this.columns.get(field);
    const alias = this.spec.fields[field].aliases[0];
    return (
      (index === undefined ? undefined : this.headers[index]) ?? (typeof alias === 'string' ? alias : field)
    );
  }

  error(row: number | null, field: F | null, code: string, message: string): void {
    this.issues.push({
      severity: 'error',
      row,
      column: field === null ? null : this.columnName(field),
      code,
      message,
    });
  }

  warn(row: number | null, field: F | null, code: string, message: string): void {
    this.issues.push({
      severity: 'warning',
      row,
      column: field === null ? null : this.columnName(field),
      code,
      message,
    });
  }

  fileError(code: string, message: string): void {
    this.issues.push({ severity: 'error', row: null, column: null, code, message });
  }

  /** `zenoti:1001`: vendor ids are namespaced so two systems' ids never collide. */
  id(value: string): string {
    return `${this.prefix}:${value}`;
  }

  private read(
    r: CsvRowReader<F>,
    field: F,
    parse: (text: string) => string | null,
    code: string,
    what: string,
    required: boolean,
  ): string | null {
    const text = r.get(field);
    if (text === '') {
      if (!required) return '';
      this.error(r.row, field, 'missing_value', `${this.columnName(field)} is empty`);
      return null;
    }
    const value = parse(text);
    if (value === null) {
      this.error(r.row, field, code, `${quoteValue(text)} is not ${what}`);
      return null;
    }
    return value;
  }

  /**
   * A money cell read by money.ts, in cents ('' when empty and optional); null after reporting
   * the row (`invalid_money`, with the reason when it is more than unreadable). `rules` says
   * what the vendor's convention allows (money.ts): by default the sign is kept as written and
   * more than 2 decimals are an error.
   */
  cents(r: CsvRowReader<F>, field: F, required: true, rules?: AmountRules): Cents | null;
  cents(r: CsvRowReader<F>, field: F, required?: boolean, rules?: AmountRules): Cents | '' | null;
  cents(r: CsvRowReader<F>, field: F, required = false, rules: AmountRules = {}): Cents | '' | null {
    const text = r.get(field);
    const marked = currencyOfCell(text);
    if (marked !== null) this.cellCurrencies.set(r.row, marked);
    if (text === '') {
      if (!required) return '';
      this.error(r.row, field, 'missing_value', `${this.columnName(field)} is empty`);
      return null;
    }
    const read = textToCents(text, { ...rules, decimalComma: this.decimalComma });
    if (read.ok) return read.cents;
    const quoted = quoteValue(text);
    this.error(
      r.row,
      field,
      'invalid_money',
      read.problem === 'not_a_number'
        ? `${quoted} is not an amount of money`
        : `${quoted} is not an amount of money: ${read.reason}`,
    );
    return null;
  }

  /** A money cell as canonical dollars text ('' when empty and optional); null after reporting. */
  money(r: CsvRowReader<F>, field: F, required = false, rules: AmountRules = {}): string | null {
    const cents = this.cents(r, field, required, rules);
    return cents === null || cents === '' ? cents : centsToMoneyCell(cents);
  }

  date(r: CsvRowReader<F>, field: F, required = false): string | null {
    return this.read(r, field, vendorDate, 'invalid_date', 'a date', required);
  }

  dateTime(r: CsvRowReader<F>, field: F, required = false, timeField?: F): string | null {
    const timeText = timeField === undefined ? undefined : r.get(timeField);
    return this.read(
      r,
      field,
      (t) => vendorDateTime(t, timeText),
      'invalid_datetime',
      'a date and time',
      required,
    );
  }

  /**
   * The canonical location of a row: `--location` when given (the file is one location's
   * export), else the file's own column — a center name (`kind` name) or the vendor's location
   * code (`kind` id) — resolved against the tenant's locations, creating one the first time it
   * is named (ConversionContext.locations).
   */
  location(r: CsvRowReader<F>, field: F | null, kind: 'name' | 'id' = 'name'): string | null {
    const value = field === null ? '' : r.get(field);
    if (this.context.locationId === undefined && value === '') {
      if (this.context.folderLocationId !== undefined) return this.context.folderLocationId;
      if (field !== null) {
        this.error(
          r.row,
          field,
          'missing_location',
          `${this.columnName(field)} is empty and no --location was given`,
        );
      } else if (!this.missingLocationReported) {
        this.missingLocationReported = true;
        this.fileError(
          'missing_location',
          `${this.spec.vendor} ${this.spec.report} files do not name their location: pass --location ID, or put the file in a folder whose locations.csv describes its one location`,
        );
      }
      return null;
    }
    const found = lookUpLocation(this.context.locations, this.context.locationId, {
      text: value,
      kind,
      vendor: this.spec.vendor,
      prefix: this.prefix,
      folderLocation: this.context.folderLocationId,
    });
    if (found.ok) return found.locationId;
    this.error(r.row, field, 'ambiguous_location', found.message);
    return null;
  }

  /** The canonical service code of a service name, emitting its services row (category by the rules). */
  service(r: CsvRowReader<F>, name: string, hint = ''): string {
    const code = this.id(slug(name));
    const { category } = categorizeService(name, this.context.serviceCategories, hint);
    this.emitOnce('services', code, r.row, { service_code: code, service_name: name, category });
    return code;
  }

  /**
   * The canonical provider id of a provider name (joined by providerIdentity, so `Doe, Jane RN`
   * and `Jane Doe` are one provider), emitting its providers row for the location.
   */
  provider(r: CsvRowReader<F>, name: string, locationId: string, payrollEmployeeId = ''): string {
    const match = this.providers.resolve(name);
    const key = match.key === '' ? name.trim().toLowerCase() : match.key;
    let id = this.id(slug(key));
    if (match.kind === 'matched') id = match.id;
    else if (this.providers.size > 0 && !this.providerProblems.has(key)) {
      this.providerProblems.add(key);
      this.warn(
        r.row,
        null,
        match.kind === 'ambiguous' ? 'ambiguous_provider' : 'unmatched_provider',
        match.kind === 'ambiguous'
          ? `provider ${JSON.stringify(name)} could be any of ${match.candidates.join(', ')}; kept as ${id}`
          : `provider ${JSON.stringify(name)} is not in the provider id map; kept as ${id}`,
      );
    }
    this.emitOnce('providers', `${id}\u0000${locationId}`, r.row, {
      provider_id: id,
      location_id: locationId,
      display_name: displayNameOfKey(providerNameKey(name)) || name.trim(),
      ...(payrollEmployeeId === '' ? {} : { payroll_employee_id: payrollEmployeeId }),
    });
    return id;
  }

  /** The canonical patient id, emitting the patients row (email and phone are pseudonymized by the ingest). */
  patient(
    r: CsvRowReader<F>,
    vendorId: string,
    locationId: string,
    contact: { email?: string; phone?: string } = {},
  ): string {
    const id = this.id(vendorId);
    this.emitOnce('patients', id, r.row, {
      patient_id: id,
      home_location_id: locationId,
      email: contact.email ?? '',
      phone: contact.phone ?? '',
    });
    return id;
  }
}
