import { type CanonicalFileName, DEMO_COLUMNS } from '../bundle';
import { ADS_CHANNELS, renderGoogleAds, renderMetaAds } from './ads';
import { boulevardProviderId, renderBoulevard } from './boulevard';
import { type CanonicalRow, cell } from './canonicalRows';
import { csvText, type VendorFile } from './exportText';
import type { DimensionFile, EmrExport, LocationData } from './locationData';
import { mindbodyProviderId, renderMindbody } from './mindbody';
import { type PayrollSystem, renderAdp, renderGusto } from './payroll';
import { renderSquareItems } from './square';
import { renderZenoti } from './zenoti';

/**
 * One location of the vendor-format demo: its EMR's exports, its POS export, its ads reports,
 * its payroll file, and the canonical files for the facts no export carries, all with the ids
 * the vendor profiles produce on ingest so everything joins. Pure: files are returned as text.
 */

export type EmrFormat = 'zenoti' | 'boulevard' | 'mindbody';

export interface VendorAssignment {
  emr: EmrFormat;
  payroll: PayrollSystem;
}

type Float = { number: number; home: number; away: number };

/**
 * EMRs alternate between Zenoti and Boulevard over the locations the demo gives a booking
 * time; the location whose EMR records none gets Mindbody, whose appointments carry no
 * booking time either. Payroll alternates between Gusto and ADP. A floating provider must
 * have one provider id at both her locations, which Mindbody (`mindbody:<StaffId>`) and
 * Boulevard (`boulevard:urn:blvd:Staff:…`) cannot agree on, so a Boulevard location sharing
 * a floater with a Mindbody one runs Zenoti instead.
 */
export function assignVendors(
  locations: readonly { bookedAtMissing: boolean }[],
  floats: readonly Float[],
): VendorAssignment[] {
  const assignments = locations.map((l, index): VendorAssignment => ({
    emr: l.bookedAtMissing ? 'mindbody' : index % 2 === 0 ? 'zenoti' : 'boulevard',
    payroll: index % 2 === 0 ? 'gusto' : 'adp',
  }));
  for (const f of floats) {
    const [home, away] = [assignments[f.home], assignments[f.away]];
    if (!home || !away) continue;
    if (home.emr === 'boulevard' && away.emr === 'mindbody') home.emr = 'zenoti';
    if (away.emr === 'boulevard' && home.emr === 'mindbody') away.emr = 'zenoti';
  }
  return assignments;
}

/**
 * The provider id every location's exports must give a floating provider. The metrics know a
 * person as one provider id (payroll is allocated across her locations by it); Mindbody and
 * Boulevard exports can only say their own ids, so a floater who works at such a location is
 * known by that id everywhere (name-keyed Zenoti maps her name to it with `--providers`).
 */
export function floaterProviderIds(
  floats: readonly Float[],
  assignments: readonly VendorAssignment[],
): Map<string, string> {
  const ids = new Map<string, string>();
  for (const f of floats) {
    // The id staffing.ts gives a floater.
    const canonicalId = `PF${String(f.number).padStart(3, '0')}`;
    const emrs = [f.home, f.away].map((i) => assignments[i]?.emr);
    ids.set(
      canonicalId,
      emrs.includes('mindbody')
        ? mindbodyProviderId(canonicalId)
        : emrs.includes('boulevard')
          ? boulevardProviderId(canonicalId)
          : canonicalId,
    );
  }
  return ids;
}

/** What the locations of one portfolio share; rendered in order, each location completes it. */
export interface PortfolioIds {
  /** Every floating provider's canonical id → the id her exports give her (floaterProviderIds). */
  floaters: ReadonlyMap<string, string>;
  /** Canonical payroll_employee_id → the system that pays the employee. */
  payrollSystems: Map<string, PayrollSystem>;
}

/** Where a location's files are. */
export interface LocationIngest {
  folder: string;
  locationId: string;
  /** Where providers.csv goes (directory/ when the EMR derives providers), written last. */
  providersPath: string;
}

export type FileRole = 'emr' | 'pos' | 'payroll' | 'marketing' | 'canonical' | 'directory' | 'options';

export interface RenderedLocation {
  locationId: string;
  assignment: VendorAssignment;
  emrSystem: string;
  /** Every file of the location except its providers.csv (see renderDirectoryProviders). */
  files: VendorFile[];
  /** The paths of `files` (and providers.csv) by what they are. */
  roles: Record<FileRole, string[]>;
  /** providers.csv rows with the EMR's provider ids and the canonical payroll_employee_id. */
  providers: CanonicalRow[];
  ingest: LocationIngest;
}

export function canonicalCsv(file: CanonicalFileName, rows: readonly CanonicalRow[]): string {
  return csvText(
    DEMO_COLUMNS[file],
    rows.map((r) => DEMO_COLUMNS[file].map((c) => cell(r, c))),
  );
}

function renderEmr(emr: EmrFormat, location: LocationData, portfolio: PortfolioIds): EmrExport {
  if (emr === 'zenoti') return renderZenoti(location, portfolio.floaters);
  return emr === 'boulevard' ? renderBoulevard(location) : renderMindbody(location);
}

function withIds(row: CanonicalRow, columns: Record<string, (value: string) => string>): CanonicalRow {
  const out: Record<string, string> = { ...row };
  for (const [column, map] of Object.entries(columns)) {
    const value = out[column] ?? '';
    if (value !== '') out[column] = map(value);
  }
  return out;
}

export function renderLocation(
  location: LocationData,
  assignment: VendorAssignment,
  portfolio: PortfolioIds,
): RenderedLocation {
  const { rows, folder } = location;
  const emr = renderEmr(assignment.emr, location, portfolio);
  const files: VendorFile[] = [];
  const roles: Record<FileRole, string[]> = {
    emr: [],
    pos: [],
    payroll: [],
    marketing: [],
    canonical: [],
    directory: [],
    options: [],
  };
  const add = (role: FileRole, ...added: VendorFile[]) => {
    files.push(...added);
    roles[role].push(...added.map((f) => f.path));
  };
  add('emr', ...emr.files);
  // The card terminal saw the lines the EMR export carries: a POS export the ingest reconciles
  // with the EMR's sales, to the cent. Where the EMR exports no sales (Boulevard) they stay
  // canonical, and a POS export beside them would be counted twice.
  const keptCanonical = new Set((emr.canonicalRest['sales.csv'] ?? []).map((s) => cell(s, 'line_id')));
  const exported = rows['sales.csv'].filter((s) => !keptCanonical.has(cell(s, 'line_id')));
  if (emr.exportsSales) add('pos', renderSquareItems(location, exported));

  const city = location.name.split('\u2013').pop()?.trim() ?? location.name;
  const spend = rows['marketing_spend.csv'];
  const ofChannel = (channel: string) => spend.filter((s) => cell(s, 'channel') === channel);
  add('marketing', ...renderGoogleAds(folder, city, ofChannel('google_ads')));
  add('marketing', ...renderMetaAds(folder, city, ofChannel('meta')));

  // Facts no export carries stay canonical, with the EMR's ids where they name its people.
  const directoryFolder = `${folder}/directory`;
  const dimensionFolder = (file: DimensionFile) => (emr.derives.includes(file) ? directoryFolder : folder);
  const canonical = (file: CanonicalFileName, data: readonly CanonicalRow[], dir = folder) =>
    add(dir === folder ? 'canonical' : 'directory', {
      path: `${dir}/${file}`,
      text: canonicalCsv(file, data),
    });
  canonical(
    'locations.csv',
    rows['locations.csv'].map((l) => ({ ...l, emr_system: emr.system })),
  );
  canonical(
    'shifts.csv',
    rows['shifts.csv'].map((s) => withIds(s, { provider_id: emr.ids.provider })),
  );
  canonical('leads.csv', rows['leads.csv']);
  const otherSpend = spend.filter((s) => !(ADS_CHANNELS as readonly string[]).includes(cell(s, 'channel')));
  if (otherSpend.length > 0) canonical('marketing_spend.csv', otherSpend);
  for (const [file, data] of Object.entries(emr.canonicalRest) as [CanonicalFileName, CanonicalRow[]][]) {
    if (data.length > 0) canonical(file, data);
  }
  canonical(
    'patients.csv',
    rows['patients.csv'].map((p) => withIds(p, { patient_id: emr.ids.patient })),
    dimensionFolder('patients.csv'),
  );
  canonical(
    'services.csv',
    rows['services.csv'].map((s) => withIds(s, { service_code: emr.ids.service })),
    dimensionFolder('services.csv'),
  );
  const providersPath = `${dimensionFolder('providers.csv')}/providers.csv`;
  roles[dimensionFolder('providers.csv') === folder ? 'canonical' : 'directory'].push(providersPath);

  // The categories and provider ids the exports' names need sit beside them: the ingest
  // recognizes them by their header and applies them to the exports of their folder.
  add('options', {
    path: `${folder}/service_categories.csv`,
    text: csvText(
      ['service_name', 'category'],
      rows['services.csv'].map((s) => [cell(s, 'service_name'), cell(s, 'category')]),
    ),
  });
  if (emr.providerIdsByName.length > 0) {
    add('options', {
      path: `${folder}/provider_ids.csv`,
      text: csvText(['provider_name', 'provider_id'], emr.providerIdsByName),
    });
  }

  // An employee is paid by one payroll system: her location's, or ADP for a floater, because
  // only ADP's export says at which location each pay line was earned (Gusto lines have no
  // location and would be split by production).
  const { payrollSystems } = portfolio;
  const employees = new Map(rows['providers.csv'].map((p) => [cell(p, 'payroll_employee_id'), p]));
  const bySystem = new Map<PayrollSystem, CanonicalRow[]>();
  for (const line of rows['payroll.csv']) {
    const employee = cell(line, 'payroll_employee_id');
    const floats = portfolio.floaters.has(cell(employees.get(employee) ?? {}, 'provider_id'));
    const system = payrollSystems.get(employee) ?? (floats ? 'adp' : assignment.payroll);
    payrollSystems.set(employee, system);
    const lines = bySystem.get(system) ?? [];
    lines.push(line);
    bySystem.set(system, lines);
  }
  for (const [system, lines] of [...bySystem].sort(([a], [b]) => a.localeCompare(b))) {
    add(
      'payroll',
      system === 'gusto'
        ? renderGusto(location.locationId, `payroll/${location.locationId}_gusto_payrolls.json`, lines)
        : renderAdp(
            `C${location.locationId.replace(/\D/g, '')}`,
            `payroll/${location.locationId}_adp_payroll.csv`,
            lines,
            employees,
          ),
    );
  }

  return {
    locationId: location.locationId,
    assignment,
    emrSystem: emr.system,
    files,
    roles,
    providers: rows['providers.csv'].map((p) => withIds(p, { provider_id: emr.ids.provider })),
    ingest: {
      folder,
      locationId: location.locationId,
      providersPath,
    },
  };
}
