import fs from 'node:fs';
import path from 'node:path';

import { main } from '../../../cli/caliper';
import { SqliteStore } from '../../../store/sqlite/sqlite-store';
import { tempDir } from '../../support/testStore';

const VENDORS = path.join(__dirname, '..', '..', 'fixtures', 'vendors');

let dir: string;
let store: string;
let stdout: string;

beforeEach(() => {
  dir = tempDir();
  store = path.join(dir, 'caliper.db');
  stdout = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A practice's export folder: the given vendor fixtures beside a canonical locations.csv. */
function exportFolder(fixtures: string[]): string {
  const folder = path.join(dir, 'exports');
  fs.mkdirSync(folder);
  fs.copyFileSync(path.join(VENDORS, 'e2e', 'locations.csv'), path.join(folder, 'locations.csv'));
  for (const f of fixtures) fs.copyFileSync(path.join(VENDORS, f), path.join(folder, path.basename(f)));
  return folder;
}

async function counts(tenant = 'default') {
  const s = SqliteStore.open(store);
  try {
    return await s.rowCounts(tenant);
  } finally {
    await s.close();
  }
}

const ZENOTI_SQUARE_GOOGLE = [
  'zenoti/appointments.csv',
  'zenoti/appointments_variant.csv',
  'zenoti/employee_sales.csv',
  'zenoti/memberships.csv',
  'square/items.csv',
  'google_ads/campaign_report.csv',
];

describe('caliper ingest of a folder of vendor exports', () => {
  it('recognizes each export, ingests Zenoti + Square + Google Ads with a canonical locations.csv, and the month adds up', async () => {
    const folder = exportFolder(ZENOTI_SQUARE_GOOGLE);

    expect(await main(['ingest', folder, '--location', 'Evolve Austin', '--store', store])).toBe(0);

    expect(stdout).toContain(`${path.join(folder, 'appointments.csv')}: Zenoti · Appointments (score 1.00)`);
    expect(stdout).toContain(
      `${path.join(folder, 'employee_sales.csv')}: Zenoti · Employee Sales (score 1.00)`,
    );
    expect(stdout).toContain(`${path.join(folder, 'items.csv')}: Square · Items (score 1.00)`);
    expect(stdout).toContain(
      `${path.join(folder, 'campaign_report.csv')}: Google Ads · Campaign report (score 0.97)`,
    );
    expect(stdout).toContain(`${path.join(folder, 'appointments.csv')}: Zenoti · Appointments`);
    expect(stdout).toContain(`${path.join(folder, 'appointments.csv')} → appointments.csv`);
    expect(stdout).toMatch(/Signature Glow Ritual.*other_service \(0\.0% of sales revenue\)/);
    expect(stdout).toContain('Committed ingest #1');
    // Services: 7 Zenoti (5 + 2 from the appointments, the sales' two already known); Square's
    // are not kept, as its sales lines are reconciled against Zenoti rather than counted.
    // Patients: 6 Zenoti guests (the Deleted row's guest is not one); Square's customer likewise.
    expect(await counts()).toEqual({
      locations: 1,
      services: 7,
      providers: 2,
      patients: 6,
      appointments: 7,
      // Zenoti's 6 lines only: Square's sales of the same location are reconciled, not counted again.
      sales: 6,
      payroll: 0,
      shifts: 0,
      memberships: 2,
      marketing_spend: 2,
      leads: 0,
    });

    stdout = '';
    expect(
      await main(['metrics', '--period', '2026-10', '--metric', 'net_revenue', '--store', store, '--json']),
    ).toBe(0);
    const records = JSON.parse(stdout) as { location_id: string | null; value: number | null }[];
    // Zenoti, the EMR and so the revenue source: 520 + 100 + 125 + 125 − 52 + 1,099 = 1,917.00.
    expect(records.find((r) => r.location_id === 'Evolve Austin')?.value).toBe(1917);
  });

  it('reconciles the POS against the EMR per location-month and flags a difference above 2 %', async () => {
    const folder = exportFolder(ZENOTI_SQUARE_GOOGLE);
    expect(await main(['ingest', folder, '--location', 'Evolve Austin', '--store', store])).toBe(0);
    // Square: (480 − 30) + 41 − 45 = 446.00 (the $100 gift card is not revenue); 446 − 1,917 = −1,471
    // = −76.7 % of Zenoti's 1,917.00.
    expect(stdout).toContain(
      'Sales reconciliation (revenue source vs compared system, net sales): 1 location-months, 1 above the 2 % tolerance',
    );
    expect(stdout).toContain(
      '! Evolve Austin 2026-10  zenoti 1,917.00  square 446.00  difference -1,471.00 (-76.7 %)',
    );
    expect(stdout).toMatch(
      /square net sales \$446\.00 vs zenoti \(revenue source\) \$1,917\.00.*\[reconciliation_difference\]/,
    );
  });

  it('counts the POS instead when --revenue-source names it for the location', async () => {
    const folder = exportFolder(ZENOTI_SQUARE_GOOGLE);
    expect(
      await main([
        'ingest',
        folder,
        '--location',
        'Evolve Austin',
        '--revenue-source',
        'Evolve Austin=square',
        '--store',
        store,
      ]),
    ).toBe(0);
    expect((await counts()).sales).toBe(4);
    stdout = '';
    await main(['metrics', '--period', '2026-10', '--metric', 'net_revenue', '--store', store, '--json']);
    const records = JSON.parse(stdout) as { location_id: string | null; value: number | null }[];
    expect(records.find((r) => r.location_id === 'Evolve Austin')?.value).toBe(446);
  });

  it('fails as a whole, naming file, row and column, when a vendor file lacks a required column', async () => {
    const folder = exportFolder(['square/items.csv']);
    const broken = fs
      .readFileSync(path.join(VENDORS, 'zenoti', 'appointments.csv'), 'utf8')
      .replace('"Status",', '"Appointment State",');
    fs.writeFileSync(path.join(folder, 'zenoti_appointments.csv'), broken);

    expect(await main(['ingest', folder, '--store', store])).toBe(1);

    expect(stdout).toContain(
      `error   ${path.join(folder, 'zenoti_appointments.csv')}, row 1, Status: required column "Status" of Zenoti Appointments is missing from the header [missing_column]`,
    );
    expect(stdout).toContain('Nothing was written');
    expect(Object.values(await counts()).every((n) => n === 0)).toBe(true);
  });

  it('fails on an unreadable value with its row and vendor column, and writes nothing', async () => {
    const folder = exportFolder(['square/items.csv']);
    const broken = fs
      .readFileSync(path.join(VENDORS, 'zenoti', 'employee_sales.csv'), 'utf8')
      .replace('"100.00","108.25"', '"100.00","about 108"');
    fs.writeFileSync(path.join(folder, 'employee_sales.csv'), broken);

    expect(await main(['ingest', folder, '--store', store])).toBe(1);

    expect(stdout).toMatch(
      /employee_sales\.csv, row 3, Sales \(Inc\.Tax\): "about 108" is not an amount of money \[invalid_money\]/,
    );
    expect(Object.values(await counts()).every((n) => n === 0)).toBe(true);
  });

  it('rejects the unreadable row alone: the threshold decides, and --max-rejected or --accept-rejected commit the rest', async () => {
    const folder = exportFolder([]);
    const broken = fs
      .readFileSync(path.join(VENDORS, 'zenoti', 'employee_sales.csv'), 'utf8')
      .replace('"100.00","108.25"', '"100.00","about 108"');
    fs.writeFileSync(path.join(folder, 'employee_sales.csv'), broken);

    // 1 of the export's 7 data rows is 14.3 %, over the default 5 %: nothing is written.
    expect(await main(['ingest', folder, '--store', store])).toBe(1);
    expect(stdout).toContain(
      `more than 5 % of the rows were rejected in 1 file: ${path.join(folder, 'employee_sales.csv')} 1 of 7 rows (14.3 %)`,
    );
    expect(Object.values(await counts()).every((n) => n === 0)).toBe(true);

    stdout = '';
    expect(await main(['ingest', folder, '--store', store, '--max-rejected', '20%', '--json'])).toBe(0);
    const report = JSON.parse(stdout) as {
      committed: boolean;
      issue_groups: { code: string; count: number; severity: string }[];
      totals: { rows_rejected: number };
    };
    expect(report.committed).toBe(true);
    expect(report.totals.rows_rejected).toBe(1);
    expect(report.issue_groups.filter((g) => g.code === 'vendor.invalid_money')).toEqual([
      expect.objectContaining({ count: 1, severity: 'error' }),
    ]);
    // The fixture's six counted sales lines (the seventh row is a Void), less the unreadable one.
    expect((await counts()).sales).toBe(5);
  });

  it('rejects a file nothing recognizes with the three closest profiles and how to map it', async () => {
    const folder = exportFolder([]);
    fs.writeFileSync(
      path.join(folder, 'vagaro_export.csv'),
      'Appointment Date,Service Name,Customer Name,Status,Provider,Price\n2026-10-05,Botox,Ann Example,Completed,Jane Doe,520\n',
    );

    expect(await main(['ingest', folder, '--store', store])).toBe(1);

    expect(stdout).toMatch(
      /vagaro_export\.csv: not recognized as any known vendor report; closest profiles: zenoti\.appointments \(\d+% of its columns\), [a-z_.]+ \(\d+% of its columns\), [a-z_.]+ \(\d+% of its columns\)\. Force one with --profile ID, or describe its columns with `caliper map vagaro_export\.csv`/,
    );
    expect(Object.values(await counts()).every((n) => n === 0)).toBe(true);
  });

  it('reads a file as the profile named by --profile, and files without a location need --location', async () => {
    const folder = exportFolder(['meta_ads/ads_manager.csv']);
    // Without the folder's locations.csv nothing says whose ads these are.
    fs.renameSync(path.join(folder, 'locations.csv'), path.join(dir, 'locations.csv'));

    expect(await main(['ingest', folder, '--store', store])).toBe(1);
    expect(stdout).toContain(
      'Meta Ads Ads Manager export files do not name their location: pass --location ID, or put the file in a folder whose locations.csv describes its one location [missing_location]',
    );

    stdout = '';
    expect(
      await main([
        'ingest',
        folder,
        '--profile',
        'meta_ads.ads_manager',
        '--location',
        'Evolve Austin',
        '--store',
        store,
      ]),
    ).toBe(0);
    expect(stdout).toContain(
      `${path.join(folder, 'ads_manager.csv')}: Meta Ads · Ads Manager export (--profile meta_ads.ads_manager)`,
    );
    expect((await counts()).marketing_spend).toBe(2);
  });

  it('reads a file that names no location as the one location its folder describes', async () => {
    const folder = exportFolder(['meta_ads/ads_manager.csv']);

    expect(await main(['ingest', folder, '--store', store, '--json'])).toBe(0);

    const report = JSON.parse(stdout) as { created_locations: unknown[] };
    expect(report.created_locations).toEqual([]);
    const s = SqliteStore.open(store);
    try {
      const rows = s.db.prepare('SELECT DISTINCT location_id FROM marketing_spend').all();
      expect(rows).toEqual([{ location_id: 'Evolve Austin' }]);
    } finally {
      await s.close();
    }
  });

  it('takes service categories from --services, which silences the unmapped-service warning', async () => {
    const folder = exportFolder(['zenoti/appointments.csv']);
    const overrides = path.join(dir, 'services.csv');
    fs.writeFileSync(overrides, 'service_name,category\nSignature Glow Ritual,facial\n');

    expect(await main(['ingest', folder, '--services', overrides, '--store', store])).toBe(0);

    expect(stdout).not.toContain('unmapped_service');
    const s = SqliteStore.open(store);
    try {
      const row = s.db
        .prepare("SELECT category FROM services WHERE service_code = 'zenoti:signature-glow-ritual'")
        .get() as { category: string };
      expect(row.category).toBe('facial');
    } finally {
      await s.close();
    }
  });

  it('refuses a --services file with a category that does not exist (usage error)', async () => {
    const folder = exportFolder(['zenoti/appointments.csv']);
    const overrides = path.join(dir, 'services.csv');
    fs.writeFileSync(overrides, 'service_name,category\nSignature Glow Ritual,spa\n');

    expect(await main(['ingest', folder, '--services', overrides, '--store', store])).toBe(2);
  });

  it('gives providers the ids of a --providers map and reports the names it cannot place', async () => {
    const folder = exportFolder(['zenoti/appointments.csv']);
    const providers = path.join(dir, 'providers.csv');
    fs.writeFileSync(providers, 'provider_name,provider_id\n"Doe, Jane RN",P-17\n');

    expect(await main(['ingest', folder, '--providers', providers, '--store', store])).toBe(0);

    expect(stdout).toContain(
      'appointments.csv, row 4: provider "Dr. John Smith MD" is not in the provider id map; kept as zenoti:john-smith [unmatched_provider]',
    );
    const s = SqliteStore.open(store);
    try {
      const ids = s.db.prepare('SELECT provider_id FROM providers ORDER BY provider_id').all();
      expect(ids).toEqual([{ provider_id: 'P-17' }, { provider_id: 'zenoti:john-smith' }]);
    } finally {
      await s.close();
    }
  });
});

describe('--id-prefix', () => {
  it('keeps two sites of one system apart when they number their records independently', async () => {
    // Two Mindbody sites export the same appointment ids (30101…); one location each.
    const folder = path.join(dir, 'sites');
    fs.mkdirSync(folder);
    fs.writeFileSync(
      path.join(folder, 'locations.csv'),
      'location_id,name,opened_on\nA1,Site A,2020-01-01\nB1,Site B,2020-01-01\n',
    );
    const appointments = path.join(VENDORS, 'json', 'mindbody', 'appointments.json');
    expect(await main(['ingest', path.join(folder, 'locations.csv'), '--store', store])).toBe(0);
    for (const [location, prefix] of [
      ['A1', 'mindbody-site-a'],
      ['B1', 'mindbody-site-b'],
    ] as const) {
      expect(
        await main(['ingest', appointments, '--location', location, '--id-prefix', prefix, '--store', store]),
      ).toBe(0);
    }
    // 5 appointments per site (tests/fixtures/vendors/json/mindbody/appointments.expected.json), none merged.
    expect((await counts()).appointments).toBe(10);
  });

  it('refuses a prefix that is not a plain name', async () => {
    expect(await main(['ingest', dir, '--id-prefix', 'a:b', '--store', store])).toBe(2);
    expect(stdout + String((process.stderr.write as jest.Mock).mock.calls.join(''))).toMatch(/--id-prefix/);
  });
});

describe('the Zenoti Business KPI cross-check', () => {
  const KPI = 'zenoti/business_kpi_October-2026.csv';

  /** Employee Sales + Appointments + the Business KPI of October, its Service Sales cell set to `serviceSales`. */
  function kpiFolder(serviceSales: string): string {
    const folder = exportFolder(['zenoti/employee_sales.csv', 'zenoti/appointments.csv']);
    const text = fs.readFileSync(path.join(VENDORS, KPI), 'utf8');
    expect(text.split('"770.00"')).toHaveLength(2);
    fs.writeFileSync(path.join(folder, path.basename(KPI)), text.replace('"770.00"', `"${serviceSales}"`));
    return folder;
  }

  it('agrees with the detailed reports figure by figure and warns about nothing when they match', async () => {
    // Evolve Austin, October: service 520 + 125 + 125 = 770.00 (the −52 refund is reported apart),
    // product 100.00, membership 1,099.00; guests with a completed visit 2; serviced 30 + 90 min
    // = 2:00; booked 30 + 60 (no-show) + 30 + 90 = 3:30. Evolve Dallas has no detailed rows.
    const folder = kpiFolder('770.00');

    expect(await main(['ingest', folder, '--store', store])).toBe(0);

    expect(stdout).toContain(
      `${path.join(folder, 'business_kpi_October-2026.csv')}: Zenoti · Business KPI (score 1.00)`,
    );
    expect(stdout).toContain(
      'Zenoti Business KPI cross-check (Business KPI vs detailed reports): 6 figures, 0 above the tolerance (2 %, 1 for counts)',
    );
    expect(stdout).toContain(
      '  Evolve Austin 2026-10 booked_hours  business KPI 3:30  detailed 3:30  difference 0:00 (0.0 %)',
    );
    expect(stdout).not.toContain('kpi_cross_check_difference');
    expect(stdout).toContain('Committed ingest #1');
  });

  it('flags a Business KPI sales figure 5 % above the detailed reports, as a row and a data-quality warning', async () => {
    // 808.50 = 770.00 × 1.05; the difference −38.50 is −4.8 % of Zenoti's figure.
    const folder = kpiFolder('808.50');

    expect(await main(['ingest', folder, '--store', store])).toBe(0);

    expect(stdout).toContain('6 figures, 1 above the tolerance');
    expect(stdout).toContain(
      '! Evolve Austin 2026-10 service_sales  business KPI $808.50  detailed $770.00  difference -$38.50 (-4.8 %)',
    );
    expect(stdout).toContain(
      'business_kpi_October-2026.csv, row 2, Service Sales: Evolve Austin 2026-10: Zenoti Business KPI Service Sales $808.50 vs $770.00 from the detailed Zenoti reports, difference -$38.50 (-4.8 %), above the 2 % tolerance [kpi_cross_check_difference]',
    );

    stdout = '';
    expect(await main(['ingest', folder, '--store', store, '--json'])).toBe(0);
    const report = JSON.parse(stdout) as {
      kpi_cross_check: { figure: string; kpiValue: number; detailedValue: number; flagged: boolean }[];
      conversion_issues: { code: string }[];
    };
    expect(report.kpi_cross_check.filter((r) => r.flagged)).toEqual([
      expect.objectContaining({ figure: 'service_sales', kpiValue: 80850, detailedValue: 77000 }),
    ]);
    expect(report.conversion_issues.filter((i) => i.code === 'kpi_cross_check_difference')).toHaveLength(1);
  });

  it('refuses a Business KPI file whose name does not carry its date', async () => {
    const folder = exportFolder([]);
    fs.copyFileSync(path.join(VENDORS, KPI), path.join(folder, 'business_kpi.csv'));

    expect(await main(['ingest', folder, '--store', store])).toBe(1);

    expect(stdout).toMatch(
      /business_kpi\.csv: .*Business_KPI_YYYY-MM-DD\.csv \(daily\) or business_kpi_<Month>-<YYYY>\.csv \(monthly\) \[missing_report_date\]/,
    );
  });
});

describe('a Square Payments API export', () => {
  it('is recognized and ingested as one sales line per completed payment', async () => {
    const payments = path.join(VENDORS, 'json', 'square', 'payments.json');
    expect(await main(['ingest', path.join(VENDORS, 'e2e', 'locations.csv'), '--store', store])).toBe(0);

    stdout = '';
    expect(await main(['ingest', payments, '--location', 'Evolve Austin', '--store', store])).toBe(0);

    expect(stdout).toContain('payments.json: Square · payments (score 0.95)');
    // 3 of the 6 payments are COMPLETED (the failed, cancelled and approved ones moved no money).
    expect((await counts()).sales).toBe(3);
  });
});

describe('row numbers of converted JSON exports', () => {
  it('name the JSON record (1 = the first), not the row of the CSV it was converted into', async () => {
    // The 2nd contract is terminated before it starts: the converter passes it on, and the
    // canonical ingest rejects it as record 2.
    const contracts = path.join(dir, 'client_contracts.json');
    const contract = (id: number, start: string, terminated: string | null) => ({
      Id: id,
      AgreementDate: `${start}T00:00:00`,
      AutopayStatus: 'Active',
      EndDate: '2027-12-31T00:00:00',
      SiteId: -99,
      ClientId: '100015',
      ContractName: 'Glow Membership',
      OriginationLocationId: 1,
      StartDate: `${start}T00:00:00`,
      ...(terminated === null ? {} : { TerminationDate: `${terminated}T00:00:00` }),
      UpcomingAutopayEvents: [
        { ClientContractId: id, ChargeAmount: 149.0, ScheduleDate: '2026-12-01T00:00:00' },
      ],
    });
    fs.writeFileSync(
      contracts,
      JSON.stringify({
        Contracts: [
          contract(1, '2026-03-01', null),
          contract(2, '2026-05-01', '2026-04-01'),
          contract(3, '2026-06-01', null),
        ],
      }),
    );
    await main(['ingest', contracts, '--store', store, '--json', '--accept-rejected']);
    const report = JSON.parse(stdout) as {
      files: { file: string; issues: { row: number; code: string }[] }[];
    };
    const memberships = report.files.find((f) => f.file.endsWith('memberships.csv'));
    expect(memberships?.issues.map((i) => [i.row, i.code])).toEqual([[2, 'inconsistent_row']]);
  });
});

describe('locations named by JSON exports', () => {
  it('creates the --location a user names for an export that carries none, with exactly that id', async () => {
    const appointments = path.join(VENDORS, 'json', 'mindbody', 'appointments.json');
    expect(await main(['ingest', appointments, '--location', 'ZZ', '--store', store, '--json'])).toBe(0);
    const report = JSON.parse(stdout) as { created_locations: { location_id: string; name: string }[] };
    expect(report.created_locations.map((l) => [l.location_id, l.name])).toEqual([['ZZ', 'ZZ']]);
    expect((await counts()).appointments).toBe(5);
  });
});

describe('--timezone', () => {
  it('refuses a zone that is not an IANA name with a usage error', async () => {
    expect(await main(['ingest', dir, '--timezone', 'Central', '--store', store])).toBe(2);
  });
});

describe('time zones of locations ingested before', () => {
  it('put a UTC-stamped sale on the local day of a location the store already knows', async () => {
    const folder = path.join(dir, 'later');
    fs.mkdirSync(folder);
    fs.writeFileSync(
      path.join(folder, 'locations.csv'),
      'location_id,name,opened_on,timezone\nL1,Austin,2020-01-01,America/Chicago\n',
    );
    expect(await main(['ingest', path.join(folder, 'locations.csv'), '--store', store])).toBe(0);
    // A Stripe charge at 03:00 UTC on 1 October is 22:00 on 30 September in Austin.
    const charges = {
      object: 'list',
      data: [
        {
          id: 'ch_late',
          object: 'charge',
          amount: 12000,
          amount_captured: 12000,
          captured: true,
          paid: true,
          status: 'succeeded',
          currency: 'usd',
          created: Date.parse('2026-10-01T03:00:00Z') / 1000,
          customer: null,
        },
      ],
      has_more: false,
      url: '/v1/charges',
    };
    fs.writeFileSync(path.join(folder, 'charges.json'), JSON.stringify(charges));
    stdout = '';
    expect(
      await main([
        'ingest',
        path.join(folder, 'charges.json'),
        '--location',
        'L1',
        '--store',
        store,
        '--json',
      ]),
    ).toBe(0);
    expect(stdout).not.toContain('utc_dates');
    const s = SqliteStore.open(store);
    try {
      expect(await s.salesDateRange('default')).toEqual({ first: '2026-09-30', last: '2026-09-30' });
    } finally {
      await s.close();
    }
  });
});
