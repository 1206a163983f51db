import { cell } from './canonicalRows';
import type { VendorFile } from './exportText';
import { payrollEmployeeId, type PayrollSystem } from './payroll';
import { canonicalCsv, type FileRole, type RenderedLocation } from './renderLocation';

/**
 * What the vendor-format demo needs once every location is rendered: the providers files
 * (with the payroll id of the system that pays each employee), the `caliper
 * ingest` command that loads it, and the README that explains the folder.
 */

export type LocationSummary = Omit<RenderedLocation, 'files'>;

export function renderDirectoryProviders(
  locations: readonly LocationSummary[],
  payrollSystems: ReadonlyMap<string, PayrollSystem>,
): VendorFile[] {
  return locations.map((l) => ({
    path: l.ingest.providersPath,
    text: canonicalCsv(
      'providers.csv',
      l.providers.map((p) => {
        const employee = cell(p, 'payroll_employee_id');
        const system = payrollSystems.get(employee) ?? l.assignment.payroll;
        return { ...p, payroll_employee_id: employee === '' ? '' : payrollEmployeeId(system, employee) };
      }),
    ),
  }));
}

/**
 * The `caliper ingest` argument lists that load the demo, paths relative to its folder: the
 * folder as it is, with no flag — as a user loads a data room. Each location folder's
 * locations.csv names the location of the exports that do not (ads reports) and of the EMR's
 * own location ids; its categories and provider-id files apply to its exports; the directory
 * files complete the rows the exports derive; payroll needs no location (ADP names each line's,
 * Gusto lines have none).
 */
export function ingestArguments(): string[][] {
  return [['ingest', '.']];
}

const PAYROLL_NAMES: Record<PayrollSystem, string> = {
  gusto: 'Gusto payrolls (JSON)',
  adp: 'ADP payroll export (CSV)',
};

/** File names of a location's files of one role, without the location folder. */
function names(location: LocationSummary, role: FileRole): string {
  const prefix = `${location.ingest.folder}/`;
  return location.roles[role].map((f) => (f.startsWith(prefix) ? f.slice(prefix.length) : f)).join(', ');
}

/** One line per system of a location: what `caliper demo --formats vendor` prints and the README lists. */
export function describeLocation(location: LocationSummary): string[] {
  return [
    `${location.locationId}`,
    `  EMR        ${location.emrSystem}: ${names(location, 'emr')}`,
    location.roles.pos.length > 0
      ? `  POS        Square items report (reconciled with the EMR, not counted): ${names(location, 'pos')}`
      : `  POS        none: ${location.emrSystem} exports no sales, so they stay canonical (sales.csv)`,
    `  payroll    ${PAYROLL_NAMES[location.assignment.payroll]}${
      location.assignment.payroll === 'gusto' &&
      location.roles.payroll.some((f) => f.endsWith('_adp_payroll.csv'))
        ? ', ADP for floating providers'
        : ''
    }: ${names(location, 'payroll')}`,
    `  marketing  Google Ads campaign reports + Meta Ads Manager export: ${location.roles.marketing.length} files`,
    `  canonical  ${names(location, 'canonical')}${location.roles.directory.length > 0 ? `; after the exports: ${names(location, 'directory')}` : ''}`,
  ];
}

export function vendorDemoReadme(locations: readonly LocationSummary[], commands: readonly string[]): string {
  const lines = [
    'Caliper demo portfolio in vendor formats',
    '',
    'The same portfolio as `caliper demo` with the same options, written as the exports each',
    "location's systems produce, so that loading it runs the vendor connectors. Ingested with the",
    'commands below, it gives the same metrics as the canonical demo of the same seed.',
    '',
    ...locations.flatMap(describeLocation),
    '',
    'What stays canonical, and why:',
    '  locations.csv       no export describes the location (time zone, opening date, rooms).',
    '  shifts.csv          no profile reads an EMR schedule export.',
    '  leads.csv           ads reports count leads; a lead row (id, time, contact) comes from a CRM.',
    '  marketing_spend.csv channels without an ads profile (TikTok, Yelp), where a location has them.',
    '  sales.csv           Boulevard locations: all sales (no Boulevard sales profile; a POS export',
    '                      carries either the provider or the service of a line, never both).',
    '                      Mindbody locations: gift card and other (fee) lines, which the Mindbody',
    '                      sales profile cannot tell from retail.',
    '  memberships.csv     Mindbody locations: terminated contracts, which carry no price',
    '                      (Mindbody gives the fee only as an upcoming autopay charge).',
    '  patients.csv        referral source and first-seen date are in no export; providers.csv:',
    '  providers.csv       role, payroll id and dates; services.csv: category and duration. They',
    '  services.csv        use the ids the profiles give (zenoti:1000761, mindbody:40003,',
    '                      boulevard:urn:blvd:Client:…). Those the EMR exports also derive rows of',
    "                      sit in directory/: a row of the user's own file takes the place of the",
    '                      row an export derives (Zenoti: all three; Mindbody and Boulevard: services).',
    "  service_categories.csv, provider_ids.csv  the categories and provider ids the exports'",
    '                      names need, found by their header and applied to the exports of their',
    '                      folder (`caliper ingest --services/--providers` give the same).',
    '',
    "Square items carry no Customer ID: the register does not know the EMR's clients, and its lines",
    "are only reconciled with the EMR's (difference 0 every month), never counted as revenue.",
    'A provider who floats between two locations is paid through ADP, whose export says where each',
    'pay line was earned (a Gusto line has no location). Payroll lines name employees by payroll id,',
    'which the providers files give.',
    'Tips are in no Zenoti, Mindbody or Square export here; they are not revenue, so no metric',
    'reads them. Boulevard appointment times are UTC instants, as its API gives them; the ingest',
    "turns them back into the location's wall-clock time.",
    '',
    "Load it, running from this folder, with the command below (no flag: each location folder's",
    'locations.csv names its location), or zip the folder and upload it in the task pane:',
    ...commands.map((c) => `  ${c}`),
    '',
  ];
  return lines.join('\n');
}
