import fs from 'node:fs';
import path from 'node:path';

import {
  kpiDurationMinutes,
  kpiPeriodOfFileName,
  readBusinessKpi,
  zenotiBusinessKpi,
} from '../../../shared/connectors/csv/zenotiBusinessKpi';
import { crossCheckKpis } from '../../../shared/connectors/kpiCrossCheck';
import { convertVendorFile } from '../../../shared/connectors/vendorConversion';
import { readVendorCsv } from '../../../shared/connectors/vendorCsv';
import type { CanonicalRecord } from '../../../shared/connectors/vendorProfile';

const ZENOTI = path.join(__dirname, '..', '..', 'fixtures', 'vendors', 'zenoti');
const FIXTURE = 'business_kpi_October-2026.csv';
const fixtureText = () => fs.readFileSync(path.join(ZENOTI, FIXTURE), 'utf8');

const HEADER = '"Center Name","Unique Guest count","Service Sales","Serviced Hours","Booked Hours"';

describe('Zenoti Business KPI durations', () => {
  it.each([
    ['33:00:00', 1980],
    ['126:30:00', 7590],
    ['47:45:30', 2865.5],
    ['7:30', 450],
    ['0:05', 5],
    ['0', 0],
  ])('reads %s as %d minutes, past 24 hours included', (text, minutes) => {
    expect(kpiDurationMinutes(text)).toBe(minutes);
  });

  it.each(['', '1.5', '12:60', '3:5', '10:00:75', 'n/a', '-1:00'])('refuses %j', (text) => {
    expect(kpiDurationMinutes(text)).toBeNull();
  });
});

describe('the Business KPI report period, from the file name', () => {
  it.each([
    ['Business_KPI_2026-10-05.csv', '2026-10-05'],
    ['business_kpi_2026-10-05.csv', '2026-10-05'],
    ['Business_KPI_2026-10-05 (1).csv', '2026-10-05'],
    ['business_kpi_October-2026.csv', '2026-10'],
    ['BUSINESS_KPI_february-2027.csv', '2027-02'],
  ])('%s is %s', (name, period) => {
    expect(kpiPeriodOfFileName(name)).toBe(period);
  });

  it.each([
    'business_kpi.csv',
    'Business_KPI_2026-02-30.csv',
    'business_kpi_Octobre-2026.csv',
    'export (3).csv',
    'Business_KPI_10-05-2026.csv',
  ])('%s has none', (name) => {
    expect(kpiPeriodOfFileName(name)).toBeNull();
  });

  it('refuses a file whose name carries no date with a file-level error naming both patterns', () => {
    const outcome = convertVendorFile({
      name: 'export (3).csv',
      displayPath: 'exports/export (3).csv',
      content: Buffer.from(fixtureText(), 'utf8'),
    });

    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.issues).toEqual([
      {
        file: 'exports/export (3).csv',
        severity: 'error',
        row: null,
        column: null,
        code: 'missing_report_date',
        message: expect.stringContaining(
          'Business_KPI_YYYY-MM-DD.csv (daily) or business_kpi_<Month>-<YYYY>.csv (monthly)',
        ) as string,
      },
    ]);
  });
});

describe('Business KPI figures', () => {
  it('reads the fixture (BOM, quoted headers) into exactly the hand-written figures and no canonical rows', () => {
    const expected = JSON.parse(
      fs.readFileSync(path.join(ZENOTI, FIXTURE.replace(/\.csv$/, '.expected.json')), 'utf8'),
    ) as { figures: unknown[] };
    const input = readVendorCsv(fixtureText());

    const read = readBusinessKpi(input, { fileName: FIXTURE });

    expect(read.issues).toEqual([]);
    expect(read.figures).toEqual(expected.figures);
    expect(zenotiBusinessKpi.convert(input, { fileName: FIXTURE }).records).toEqual([]);
  });

  it('names the row and column of an unreadable hours cell', () => {
    const input = readVendorCsv(`${HEADER}\n"Evolve Austin","2","770.00","2 hrs","3:30:00"\n`);

    expect(readBusinessKpi(input, { fileName: 'Business_KPI_2026-10-05.csv' }).issues).toEqual([
      {
        severity: 'error',
        row: 2,
        column: 'Serviced Hours',
        code: 'invalid_duration',
        message: '"2 hrs" is not a duration hh:mm[:ss]',
      },
    ]);
  });

  it('refuses --location for a file of several centers instead of merging their figures', () => {
    const input = readVendorCsv(
      `${HEADER}\n"Evolve Austin","2","770.00","2:00","3:30"\n"Evolve Dallas","14","6,480.50","41:15","47:45"\n`,
    );

    const read = readBusinessKpi(input, { fileName: 'Business_KPI_2026-10-05.csv', locationId: 'L1' });

    expect(read.issues.map((i) => [i.row, i.code])).toEqual([[3, 'duplicate_center']]);
  });
});

/** Canonical rows as the Zenoti Employee Sales and Appointments profiles write them. */
function sale(soldOn: string, kind: string, gross: string, location = 'Evolve Austin'): CanonicalRecord {
  return {
    entity: 'sales',
    sourceRow: 2,
    values: { location_id: location, sold_on: soldOn, kind, gross, discount: '' },
  };
}
function appointment(start: string, status: string, minutes: number, patient: string): CanonicalRecord {
  return {
    entity: 'appointments',
    sourceRow: 2,
    values: {
      location_id: 'Evolve Austin',
      start_at: start,
      status,
      duration_min: String(minutes),
      patient_id: patient,
    },
  };
}

const KPI = 'exports/Business_KPI_2026-10-05.csv';
const figure = (
  name: 'service_sales' | 'unique_guest_count' | 'booked_hours' | 'product_sales',
  value: number,
) => ({
  locationId: 'Evolve Austin',
  period: '2026-10-05',
  figure: name,
  unit:
    name === 'unique_guest_count'
      ? ('count' as const)
      : name === 'booked_hours'
        ? ('minutes' as const)
        : ('cents' as const),
  value,
  row: 2,
  column: name,
});

describe('the Business KPI cross-check', () => {
  const sales = {
    displayPath: 'employee_sales.csv',
    profileId: 'zenoti.employee_sales',
    // Oct 5: 520 + 125 service (the −52 refund is reported apart by the Business KPI); Oct 6 is another day.
    records: [
      sale('2026-10-05', 'service', '520.00'),
      sale('2026-10-05', 'service', '125.00'),
      sale('2026-10-05', 'service', '-52.00'),
      sale('2026-10-05', 'retail', '100.00'),
      sale('2026-10-06', 'service', '250.00'),
    ],
  };
  const appointments = {
    displayPath: 'appointments.csv',
    profileId: 'zenoti.appointments',
    // Booked: 30 + 60 (no-show) + 45 = 135 minutes; the cancelled hour was never booked time.
    records: [
      appointment('2026-10-05T09:30:00', 'completed', 30, 'zenoti:1'),
      appointment('2026-10-05T11:00:00', 'no_show', 60, 'zenoti:2'),
      appointment('2026-10-05T14:00:00', 'cancelled', 60, 'zenoti:3'),
      appointment('2026-10-05T16:00:00', 'scheduled', 45, 'zenoti:4'),
    ],
  };

  it('flags money more than 2 % off and keeps a difference within it unflagged', () => {
    // Detailed service sales 645.00: KPI 632.50 is 2.0 % off (kept), 600.00 is 7.5 % off (flagged).
    const within = crossCheckKpis([{ displayPath: KPI, figures: [figure('service_sales', 63250)] }], [sales]);
    const above = crossCheckKpis([{ displayPath: KPI, figures: [figure('service_sales', 60000)] }], [sales]);

    expect(within.rows.map((r) => [r.detailedValue, r.difference, r.flagged])).toEqual([
      [64500, 1250, false],
    ]);
    expect(within.warnings).toEqual([]);
    expect(above.rows.map((r) => [r.detailedValue, r.difference, r.differenceRatio, r.flagged])).toEqual([
      [64500, 4500, 0.075, true],
    ]);
    expect(above.warnings).toEqual([
      {
        file: KPI,
        severity: 'warning',
        row: 2,
        column: 'service_sales',
        code: 'kpi_cross_check_difference',
        message:
          'Evolve Austin 2026-10-05: Zenoti Business KPI Service Sales $600.00 vs $645.00 from the detailed Zenoti reports, difference +$45.00 (+7.5 %), above the 2 % tolerance',
      },
    ]);
  });

  it('allows counts to differ by one and flags two', () => {
    // One guest completed a visit that day (the no-show and the cancelled guest are not guests served).
    const result = crossCheckKpis(
      [
        { displayPath: KPI, figures: [figure('unique_guest_count', 2)] },
        { displayPath: KPI, figures: [figure('unique_guest_count', 3)] },
      ],
      [appointments],
    );

    expect(result.rows.map((r) => [r.kpiValue, r.detailedValue, r.flagged])).toEqual([
      [2, 1, false],
      [3, 1, true],
    ]);
  });

  it('compares booked hours with every appointment not cancelled, and prints hours as Zenoti does', () => {
    const result = crossCheckKpis(
      [{ displayPath: KPI, figures: [figure('booked_hours', 150)] }],
      [appointments],
    );

    expect(result.rows.map((r) => [r.detailedValue, r.difference, r.flagged])).toEqual([[135, -15, true]]);
    expect(result.warnings[0]?.message).toBe(
      'Evolve Austin 2026-10-05: Zenoti Business KPI Booked Hours 2:30 vs 2:15 from the detailed Zenoti reports, difference -0:15 (-10.0 %), above the 2 % tolerance',
    );
  });

  it('compares nothing for a center without the detailed report the figure needs', () => {
    const dallas = { ...figure('service_sales', 10000), locationId: 'Evolve Dallas' };

    const result = crossCheckKpis(
      [{ displayPath: KPI, figures: [dallas, figure('product_sales', 10000)] }],
      [appointments],
    );

    expect(result).toEqual({ rows: [], warnings: [] });
  });

  it('counts a day without any detailed sales of a compared center as 0, the missing export', () => {
    const nextDay = { ...figure('service_sales', 20000), period: '2026-10-07' };

    const result = crossCheckKpis([{ displayPath: KPI, figures: [nextDay] }], [sales]);

    expect(result.rows.map((r) => [r.detailedValue, r.differenceRatio, r.flagged])).toEqual([[0, -1, true]]);
  });

  it('compares a monthly report with the whole month', () => {
    const month = { ...figure('service_sales', 89500), period: '2026-10' };

    const result = crossCheckKpis([{ displayPath: KPI, figures: [month] }], [sales]);

    // 520 + 125 + 250 = 895.00.
    expect(result.rows.map((r) => [r.detailedValue, r.flagged])).toEqual([[89500, false]]);
  });
});
