import {
  type CanonicalFileName,
  DEMO_COLUMNS,
  demoLocationIds,
  type DemoOptions,
  generateDemoLocation,
} from '../../demo/demoPortfolio';
import { PROVIDER_ROLES, SERVICE_CATEGORIES } from '../../shared/model/canonicalBundle';
import { addDays, isLocalDate, toDayNumber } from '../../shared/model/localDate';

type Bundle = Record<CanonicalFileName, string[][]>;

const FILES = Object.keys(DEMO_COLUMNS) as CanonicalFileName[];
const OPTIONS: DemoOptions = { locations: 5, years: 2, seed: 42, endMonth: '2025-12' };
const WINDOW_START = '2024-01-01';
const WINDOW_END = '2025-12-31';

function generate(options: DemoOptions, index: number): Bundle {
  const bundle = Object.fromEntries(FILES.map((f) => [f, []])) as unknown as Bundle;
  generateDemoLocation(options, index, { row: (file, values) => bundle[file].push([...values]) });
  return bundle;
}

/** Reads a column of a row by name. */
function cell(file: CanonicalFileName, row: readonly string[], column: string): string {
  const index = DEMO_COLUMNS[file].indexOf(column);
  if (index < 0) throw new Error(`${file} has no column ${column}`);
  return row[index]!;
}

const REQUIRED: Record<CanonicalFileName, readonly string[]> = {
  'locations.csv': ['location_id', 'name', 'opened_on'],
  'providers.csv': ['provider_id', 'location_id', 'display_name'],
  'services.csv': ['service_code', 'service_name', 'category'],
  'patients.csv': ['patient_id'],
  'appointments.csv': [
    'appointment_id',
    'location_id',
    'patient_id',
    'service_code',
    'start_at',
    'duration_min',
    'status',
  ],
  'sales.csv': ['line_id', 'location_id', 'sold_on', 'kind', 'gross'],
  'payroll.csv': ['payroll_line_id', 'payroll_employee_id', 'period_start', 'period_end'],
  'shifts.csv': ['provider_id', 'location_id', 'date', 'start_time', 'end_time'],
  'memberships.csv': ['membership_id', 'patient_id', 'location_id', 'monthly_fee', 'started_on'],
  'marketing_spend.csv': ['location_id', 'channel', 'date', 'spend'],
  'leads.csv': ['lead_id', 'location_id', 'channel', 'created_at'],
};

const DATE_COLUMNS = new Set([
  'opened_on',
  'closed_on',
  'acquired_on',
  'started_on',
  'ended_on',
  'created_on',
  'sold_on',
  'period_start',
  'period_end',
  'pay_date',
  'cancelled_on',
]);
const DATETIME_COLUMNS = new Set(['booked_at', 'start_at', 'created_at']);
const MONEY_COLUMNS = new Set([
  'gross',
  'discount',
  'tax',
  'tip',
  'wages',
  'commission',
  'bonus',
  'employer_taxes_benefits',
  'monthly_fee',
  'spend',
]);
const INTEGER_COLUMNS = new Set(['rooms', 'default_duration_min', 'duration_min']);

const DATETIME_RE = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
const MONEY_RE = /^-?\d+\.\d{2}$/;
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

function isDateTime(text: string): boolean {
  const m = DATETIME_RE.exec(text);
  return m !== null && isLocalDate(m[1]!);
}

function minutesOf(dateTime: string): number {
  return Number(dateTime.slice(11, 13)) * 60 + Number(dateTime.slice(14, 16));
}

function normalizedEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Collects rule violations so a check over hundreds of thousands of rows fails with the first
 * few offenders instead of running an expect per row.
 */
class Problems {
  readonly found: string[] = [];

  check(ok: boolean, describe: () => string): void {
    if (!ok && this.found.length < 10) this.found.push(describe());
  }
}

describe('the demo portfolio (5 locations × 2 years)', () => {
  let bundles: Bundle[];

  beforeAll(() => {
    bundles = demoLocationIds(OPTIONS).map((_, index) => generate(OPTIONS, index));
  });

  const location = (bundle: Bundle): string[] => bundle['locations.csv'][0]!;
  const dataStart = (bundle: Bundle): string => {
    const opened = cell('locations.csv', location(bundle), 'opened_on');
    return opened > WINDOW_START ? opened : WINDOW_START;
  };
  const dataEnd = (bundle: Bundle): string =>
    cell('locations.csv', location(bundle), 'closed_on') || WINDOW_END;

  it('names locations L001…L005, one bundle each with its own location row and service menu', () => {
    expect(demoLocationIds(OPTIONS)).toEqual(['L001', 'L002', 'L003', 'L004', 'L005']);
    bundles.forEach((bundle, index) => {
      expect(bundle['locations.csv']).toHaveLength(1);
      expect(cell('locations.csv', location(bundle), 'location_id')).toBe(`L00${index + 1}`);
      expect(cell('locations.csv', location(bundle), 'name')).toMatch(/^[A-Za-z ]+ \u2013 [A-Za-z. ]+$/);
      expect(bundle['services.csv'].length).toBeGreaterThanOrEqual(15);
    });
  });

  it('regenerates byte-identical rows from the same options', () => {
    for (const index of [2, 4]) expect(generate(OPTIONS, index)).toEqual(bundles[index]);
  });

  it('generates different rows from a different seed', () => {
    const other = generate({ ...OPTIONS, seed: 7 }, 4);
    expect(other['appointments.csv']).not.toEqual(bundles[4]!['appointments.csv']);
    expect(other['locations.csv']).not.toEqual(bundles[4]!['locations.csv']);
  });

  it('writes every row with exactly the columns of its file and every required cell filled', () => {
    const problems = new Problems();
    for (const bundle of bundles) {
      for (const file of FILES) {
        expect(bundle[file].length).toBeGreaterThan(0);
        const required = REQUIRED[file].map((column) => DEMO_COLUMNS[file].indexOf(column));
        for (const row of bundle[file]) {
          problems.check(row.length === DEMO_COLUMNS[file].length, () => `${file} ${row.join(',')}`);
          for (const i of required)
            problems.check(row[i] !== '', () => `${file} empty ${DEMO_COLUMNS[file][i]}`);
        }
      }
    }
    expect(problems.found).toEqual([]);
  });

  it('formats dates, datetimes, times, money, hours and counts canonically', () => {
    const bad: string[] = [];
    for (const bundle of bundles) {
      for (const file of FILES) {
        const columns = DEMO_COLUMNS[file];
        for (const row of bundle[file]) {
          columns.forEach((column, i) => {
            const value = row[i]!;
            if (value === '') return;
            const ok =
              file === 'marketing_spend.csv' && column === 'date'
                ? isLocalDate(value) || /^\d{4}-(0[1-9]|1[0-2])$/.test(value)
                : file === 'shifts.csv' && column === 'date'
                  ? isLocalDate(value)
                  : DATE_COLUMNS.has(column)
                    ? isLocalDate(value)
                    : DATETIME_COLUMNS.has(column)
                      ? isDateTime(value)
                      : MONEY_COLUMNS.has(column)
                        ? MONEY_RE.test(value)
                        : column === 'hours'
                          ? /^\d+\.\d{2}$/.test(value)
                          : column === 'start_time' || column === 'end_time'
                            ? TIME_RE.test(value)
                            : INTEGER_COLUMNS.has(column)
                              ? /^[1-9]\d*$/.test(value)
                              : true;
            if (!ok) bad.push(`${file} ${column}=${JSON.stringify(value)}`);
          });
        }
      }
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });

  it('uses only the allowed statuses, sale kinds, categories and roles', () => {
    const seen = (file: CanonicalFileName, column: string): Set<string> =>
      new Set(bundles.flatMap((b) => b[file].map((row) => cell(file, row, column))));
    expect([...seen('appointments.csv', 'status')].sort()).toEqual([
      'cancelled',
      'completed',
      'late_cancelled',
      'no_show',
      'scheduled',
    ]);
    const kinds = seen('sales.csv', 'kind');
    for (const kind of kinds) {
      expect(['service', 'package', 'retail', 'membership_fee', 'gift_card', 'other']).toContain(kind);
    }
    for (const kind of ['service', 'package', 'retail', 'membership_fee', 'gift_card'])
      expect(kinds).toContain(kind);
    for (const category of seen('services.csv', 'category')) {
      expect(SERVICE_CATEGORIES).toContain(category);
    }
    for (const role of seen('providers.csv', 'role')) {
      expect(PROVIDER_ROLES).toContain(role);
    }
  });

  it('keeps ids unique and references inside each bundle resolvable', () => {
    const uniqueAcrossPortfolio: [CanonicalFileName, string][] = [
      ['appointments.csv', 'appointment_id'],
      ['sales.csv', 'line_id'],
      ['patients.csv', 'patient_id'],
      ['payroll.csv', 'payroll_line_id'],
      ['memberships.csv', 'membership_id'],
      ['leads.csv', 'lead_id'],
    ];
    for (const [file, column] of uniqueAcrossPortfolio) {
      const ids = bundles.flatMap((b) => b[file].map((row) => cell(file, row, column)));
      expect(new Set(ids).size).toBe(ids.length);
    }
    const problems = new Problems();
    for (const bundle of bundles) {
      const ids = (file: CanonicalFileName, column: string): Set<string> =>
        new Set(bundle[file].map((row) => cell(file, row, column)));
      const patients = ids('patients.csv', 'patient_id');
      const providers = ids('providers.csv', 'provider_id');
      const employees = ids('providers.csv', 'payroll_employee_id');
      const services = ids('services.csv', 'service_code');
      const appointments = ids('appointments.csv', 'appointment_id');
      expect(providers.size).toBe(bundle['providers.csv'].length);
      const resolves = (file: CanonicalFileName, column: string, known: Set<string>): void => {
        for (const row of bundle[file]) {
          const value = cell(file, row, column);
          problems.check(
            value === '' || known.has(value),
            () => `${file} ${column}=${value} does not resolve`,
          );
        }
      };
      resolves('appointments.csv', 'patient_id', patients);
      resolves('appointments.csv', 'provider_id', providers);
      resolves('appointments.csv', 'service_code', services);
      resolves('sales.csv', 'patient_id', patients);
      resolves('sales.csv', 'provider_id', providers);
      resolves('sales.csv', 'appointment_id', appointments);
      resolves('sales.csv', 'service_code', services);
      resolves('memberships.csv', 'patient_id', patients);
      resolves('shifts.csv', 'provider_id', providers);
      resolves('payroll.csv', 'payroll_employee_id', employees);
    }
    expect(problems.found).toEqual([]);
  });

  it('dates every fact inside the window and inside the location’s opening and closing', () => {
    const problems = new Problems();
    for (const bundle of bundles) {
      const from = dataStart(bundle);
      const to = dataEnd(bundle);
      const opened = cell('locations.csv', location(bundle), 'opened_on');
      const inside = (file: CanonicalFileName, date: string): void =>
        problems.check(date >= from && date <= to, () => `${file} ${date} outside ${from}..${to}`);
      for (const row of bundle['appointments.csv']) {
        const startAt = cell('appointments.csv', row, 'start_at');
        const booked = cell('appointments.csv', row, 'booked_at');
        if (cell('appointments.csv', row, 'status') === 'scheduled') {
          problems.check(startAt.slice(0, 10) > WINDOW_END, () => `scheduled ${startAt}`);
          problems.check(
            booked === '' || booked.slice(0, 10) <= WINDOW_END,
            () => `booked after export ${booked}`,
          );
        } else {
          inside('appointments.csv', startAt.slice(0, 10));
        }
        problems.check(booked === '' || booked < startAt, () => `booked ${booked} after start ${startAt}`);
      }
      for (const row of bundle['sales.csv']) inside('sales.csv', cell('sales.csv', row, 'sold_on'));
      for (const row of bundle['shifts.csv']) inside('shifts.csv', cell('shifts.csv', row, 'date'));
      for (const row of bundle['leads.csv'])
        inside('leads.csv', cell('leads.csv', row, 'created_at').slice(0, 10));
      for (const row of bundle['memberships.csv']) {
        const started = cell('memberships.csv', row, 'started_on');
        const cancelled = cell('memberships.csv', row, 'cancelled_on');
        inside('memberships.csv', started);
        problems.check(
          cancelled === '' || (cancelled > started && cancelled <= to),
          () => `cancelled ${cancelled}`,
        );
      }
      for (const row of bundle['marketing_spend.csv']) {
        const date = cell('marketing_spend.csv', row, 'date');
        problems.check(
          date >= from.slice(0, date.length) && date <= to.slice(0, date.length),
          () => `spend dated ${date}`,
        );
      }
      for (const row of bundle['payroll.csv']) {
        const start = cell('payroll.csv', row, 'period_start');
        const end = cell('payroll.csv', row, 'period_end');
        const pay = cell('payroll.csv', row, 'pay_date');
        problems.check(start >= opened && end >= from && start <= to, () => `pay period ${start}..${end}`);
        problems.check(
          toDayNumber(end) - toDayNumber(start) <= 13 && pay >= end,
          () => `pay ${start}..${end} on ${pay}`,
        );
      }
      for (const row of bundle['providers.csv']) {
        const started = cell('providers.csv', row, 'started_on');
        const ended = cell('providers.csv', row, 'ended_on');
        problems.check(started === '' || started >= opened, () => `provider started ${started}`);
        problems.check(ended === '' || ended <= to, () => `provider ended ${ended}`);
      }
    }
    expect(problems.found).toEqual([]);
  });

  it('has one recently opened location and one that closed, with no facts after closing', () => {
    const opened = bundles.map((b) => cell('locations.csv', location(b), 'opened_on'));
    const closed = bundles.map((b) => cell('locations.csv', location(b), 'closed_on'));
    const recent = opened.filter((d) => d >= addDays(WINDOW_END, -250) && d <= addDays(WINDOW_END, -110));
    expect(recent).toHaveLength(1);
    expect(opened.filter((d) => d < WINDOW_START).length).toBeGreaterThanOrEqual(3);
    const closures = closed.filter((d) => d !== '');
    expect(closures).toHaveLength(1);
    expect(closures[0]! >= addDays(WINDOW_END, -190) && closures[0]! <= addDays(WINDOW_END, -85)).toBe(true);
    const closedBundle = bundles[closed.indexOf(closures[0]!)]!;
    for (const row of closedBundle['payroll.csv']) {
      expect(cell('payroll.csv', row, 'pay_date') <= closures[0]!).toBe(true);
    }
    for (const row of closedBundle['memberships.csv'])
      expect(cell('memberships.csv', row, 'cancelled_on')).not.toBe('');
  });

  it('places appointments inside the provider’s shift without double-booking a provider', () => {
    const problems = new Problems();
    for (const bundle of bundles) {
      const shifts = new Map<string, [number, number]>();
      for (const row of bundle['shifts.csv']) {
        const key = `${cell('shifts.csv', row, 'provider_id')} ${cell('shifts.csv', row, 'date')}`;
        const start = minutesOf(`0000-00-00T${cell('shifts.csv', row, 'start_time')}`);
        const end = minutesOf(`0000-00-00T${cell('shifts.csv', row, 'end_time')}`);
        shifts.set(key, [start, end]);
      }
      const busy = new Map<string, [number, number][]>();
      for (const row of bundle['appointments.csv']) {
        const status = cell('appointments.csv', row, 'status');
        if (status === 'cancelled' || status === 'scheduled') continue;
        const startAt = cell('appointments.csv', row, 'start_at');
        const key = `${cell('appointments.csv', row, 'provider_id')} ${startAt.slice(0, 10)}`;
        const start = minutesOf(startAt);
        const end = start + Number(cell('appointments.csv', row, 'duration_min'));
        const shift = shifts.get(key);
        problems.check(
          shift !== undefined && start >= shift[0] && end <= shift[1],
          () => `${key} ${start}-${end} off shift`,
        );
        const taken = busy.get(key) ?? [];
        problems.check(
          taken.every(([s, e]) => start >= e || end <= s),
          () => `${key} ${start}-${end} overlaps`,
        );
        taken.push([start, end]);
        busy.set(key, taken);
      }
    }
    expect(problems.found).toEqual([]);
  });

  it('mixes statuses like a real schedule: mostly completed, some no-shows and cancellations', () => {
    const counts = new Map<string, number>();
    let total = 0;
    for (const bundle of bundles) {
      for (const row of bundle['appointments.csv']) {
        const status = cell('appointments.csv', row, 'status');
        if (status === 'scheduled') continue;
        counts.set(status, (counts.get(status) ?? 0) + 1);
        total++;
      }
    }
    const share = (status: string): number => (counts.get(status) ?? 0) / total;
    expect(share('completed')).toBeGreaterThan(0.7);
    expect(share('completed')).toBeLessThan(0.87);
    expect(share('no_show')).toBeGreaterThan(0.05);
    expect(share('no_show')).toBeLessThan(0.13);
    expect(share('late_cancelled')).toBeGreaterThan(0.02);
    expect(share('late_cancelled')).toBeLessThan(0.06);
    expect(share('cancelled')).toBeGreaterThan(0.05);
    expect(share('cancelled')).toBeLessThan(0.12);
  });

  it('has a provider who works at two locations, with a location-less payroll line at home', () => {
    const rowsById = new Map<string, { bundle: number; row: string[] }[]>();
    bundles.forEach((bundle, index) => {
      for (const row of bundle['providers.csv']) {
        const id = cell('providers.csv', row, 'provider_id');
        rowsById.set(id, [...(rowsById.get(id) ?? []), { bundle: index, row }]);
      }
    });
    const floating = [...rowsById.values()].filter((rows) => rows.length > 1);
    expect(floating.length).toBeGreaterThanOrEqual(1);
    const [home, away] = floating[0]!;
    const employee = cell('providers.csv', home!.row, 'payroll_employee_id');
    expect(cell('providers.csv', away!.row, 'payroll_employee_id')).toBe(employee);
    expect(cell('providers.csv', home!.row, 'location_id')).not.toBe(
      cell('providers.csv', away!.row, 'location_id'),
    );
    const untagged = bundles.flatMap((b) =>
      b['payroll.csv'].filter(
        (row) =>
          cell('payroll.csv', row, 'payroll_employee_id') === employee &&
          cell('payroll.csv', row, 'location_id') === '',
      ),
    );
    expect(untagged.length).toBeGreaterThan(0);
    for (const index of [home!.bundle, away!.bundle]) {
      const id = cell('providers.csv', home!.row, 'provider_id');
      expect(bundles[index]!['shifts.csv'].some((row) => cell('shifts.csv', row, 'provider_id') === id)).toBe(
        true,
      );
    }
  });

  it('has providers who join or leave during the window, each on an hourly wage plus commission', () => {
    const providers = bundles.flatMap((b) => b['providers.csv']);
    const during = (column: string): number =>
      providers.filter((row) => {
        const date = cell('providers.csv', row, column);
        return date >= WINDOW_START && date <= WINDOW_END;
      }).length;
    expect(during('started_on')).toBeGreaterThan(0);
    expect(during('ended_on')).toBeGreaterThan(0);
    const paid = bundles
      .flatMap((b) => b['payroll.csv'])
      .filter((row) => Number(cell('payroll.csv', row, 'hours')) > 0);
    const hourly = paid.map(
      (row) => Number(cell('payroll.csv', row, 'wages')) / Number(cell('payroll.csv', row, 'hours')),
    );
    expect(Math.min(...hourly)).toBeGreaterThanOrEqual(24.99);
    expect(Math.max(...hourly)).toBeLessThanOrEqual(75.01);
    expect(
      paid.filter((row) => Number(cell('payroll.csv', row, 'commission')) > 0).length / paid.length,
    ).toBeGreaterThan(0.9);
  });

  it('has patients who also visit a sister location under that location’s id with the same email', () => {
    const byEmail = new Map<string, { location: string; home: string }[]>();
    for (const bundle of bundles) {
      const id = cell('locations.csv', location(bundle), 'location_id');
      for (const row of bundle['patients.csv']) {
        const email = normalizedEmail(cell('patients.csv', row, 'email'));
        if (!email) continue;
        byEmail.set(email, [
          ...(byEmail.get(email) ?? []),
          { location: id, home: cell('patients.csv', row, 'home_location_id') },
        ]);
      }
    }
    const shared = [...byEmail.values()].filter(
      (entries) => new Set(entries.map((e) => e.location)).size > 1,
    );
    expect(shared.length).toBeGreaterThan(10);
    for (const entries of shared) {
      const homes = new Set(entries.map((e) => e.home));
      expect(homes.size).toBe(1);
      expect(entries.map((e) => e.location)).toContain([...homes][0]);
    }
  });

  it('has one location whose EMR leaves booked_at empty, and booked_at mostly present elsewhere', () => {
    const emptyShare = bundles.map((bundle) => {
      const rows = bundle['appointments.csv'];
      return rows.filter((row) => cell('appointments.csv', row, 'booked_at') === '').length / rows.length;
    });
    expect(emptyShare.filter((share) => share === 1)).toHaveLength(1);
    for (const share of emptyShare.filter((s) => s < 1)) expect(share).toBeLessThan(0.05);
  });

  it('rebooks a good share of visits at checkout', () => {
    const bundle = bundles[0]!;
    const byPatient = new Map<string, string[][]>();
    for (const row of bundle['appointments.csv']) {
      const patient = cell('appointments.csv', row, 'patient_id');
      byPatient.set(patient, [...(byPatient.get(patient) ?? []), row]);
    }
    let visits = 0;
    let rebooked = 0;
    for (const row of bundle['appointments.csv']) {
      if (cell('appointments.csv', row, 'status') !== 'completed') continue;
      visits++;
      const start = cell('appointments.csv', row, 'start_at');
      const next = byPatient.get(cell('appointments.csv', row, 'patient_id'))!.some((other) => {
        const booked = cell('appointments.csv', other, 'booked_at');
        return booked.slice(0, 10) === start.slice(0, 10) && booked > start;
      });
      if (next) rebooked++;
    }
    expect(rebooked / visits).toBeGreaterThan(0.35);
  });

  it('has leads that convert to a patient visiting within 60 days, and leads that never do', () => {
    let converted = 0;
    let lost = 0;
    for (const bundle of bundles) {
      const firstVisit = new Map<string, string>();
      for (const row of bundle['appointments.csv']) {
        if (cell('appointments.csv', row, 'status') !== 'completed') continue;
        const patient = cell('appointments.csv', row, 'patient_id');
        const day = cell('appointments.csv', row, 'start_at').slice(0, 10);
        if (!firstVisit.has(patient) || day < firstVisit.get(patient)!) firstVisit.set(patient, day);
      }
      const patientByEmail = new Map<string, string>();
      for (const row of bundle['patients.csv']) {
        const email = normalizedEmail(cell('patients.csv', row, 'email'));
        if (email) patientByEmail.set(email, cell('patients.csv', row, 'patient_id'));
      }
      for (const row of bundle['leads.csv']) {
        const patient = patientByEmail.get(normalizedEmail(cell('leads.csv', row, 'email')));
        const created = cell('leads.csv', row, 'created_at').slice(0, 10);
        const visit = patient === undefined ? undefined : firstVisit.get(patient);
        if (visit !== undefined && visit >= created && visit <= addDays(created, 60)) converted++;
        else if (patient === undefined && cell('leads.csv', row, 'email') !== '') lost++;
      }
    }
    expect(converted).toBeGreaterThan(100);
    expect(lost).toBeGreaterThan(converted);
  });

  it('writes refunds as negative lines of a refundable kind, about 1–2 % of lines', () => {
    const sales = bundles.flatMap((b) => b['sales.csv']);
    const refunds = sales.filter((row) => cell('sales.csv', row, 'gross').startsWith('-'));
    expect(refunds.length / sales.length).toBeGreaterThan(0.005);
    expect(refunds.length / sales.length).toBeLessThan(0.03);
    const kinds = new Set(refunds.map((row) => cell('sales.csv', row, 'kind')));
    for (const kind of kinds) expect(['service', 'package', 'retail', 'membership_fee']).toContain(kind);
  });

  it('pays bi-weekly with employer taxes of 9–14 % on wages, commission and bonus', () => {
    const problems = new Problems();
    for (const bundle of bundles) {
      for (const row of bundle['payroll.csv']) {
        const pay = ['wages', 'commission', 'bonus'].reduce(
          (sum, c) => sum + Number(cell('payroll.csv', row, c)),
          0,
        );
        const taxes = Number(cell('payroll.csv', row, 'employer_taxes_benefits'));
        problems.check(
          pay < 100 || (taxes / pay > 0.085 && taxes / pay < 0.15),
          () => `taxes ${taxes} on ${pay}`,
        );
      }
      expect(problems.found).toEqual([]);
      const starts = new Set(bundle['payroll.csv'].map((row) => cell('payroll.csv', row, 'period_start')));
      expect(starts.size).toBeGreaterThan(5);
    }
  });
});
