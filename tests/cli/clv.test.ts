import fs from 'node:fs';
import path from 'node:path';

import { main } from '../../cli/caliper';
import type { ClvFitReport } from '../../cli/commands/clvCommand';
import { CDNOW_LOG, PUBLISHED_BGNBD, PUBLISHED_GAMMA_GAMMA } from '../shared/models/cdnowData';
import { tempDir } from '../support/testStore';

let dir: string;
let stdout: string;
let stderr: string;

beforeEach(() => {
  dir = tempDir();
  stdout = '';
  stderr = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
});

afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

const CDNOW_ARGS = [
  'clv',
  'fit',
  '--transactions',
  CDNOW_LOG,
  '--format',
  'cdnow',
  '--calibration-end',
  '1997-09-30',
];

/** The CDNOW log as a canonical sales.csv, with lines that are not purchases mixed in. */
function cdnowAsCanonicalSales(): string {
  const lines = [
    'line_id,location_id,sold_on,patient_id,provider_id,appointment_id,kind,service_code,gross,discount,tax,tip',
  ];
  fs.readFileSync(CDNOW_LOG, 'utf8')
    .trim()
    .split('\n')
    .forEach((row, i) => {
      const [, id, d, , dollars] = row.trim().split(/\s+/) as [string, string, string, string, string];
      const date = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
      const cents = Math.round(Number(dollars) * 100);
      // Every third line as a package with a $5.00 discount on a gross $5.00 higher: the same amount.
      const [kind, gross, discount] =
        i % 3 === 0 ? ['package', (cents + 500) / 100, '5.00'] : ['service', cents / 100, ''];
      lines.push(`S${i},L1,${date},P${id},,,${kind},SVC,${gross.toFixed(2)},${discount},,`);
      if (i % 50 === 0) {
        lines.push(`R${i},L1,${date},P${id},,,retail,,19.99,,,`); // retail: not a visit
        lines.push(`X${i},L1,1997-02-03,,,,service,SVC,80.00,,,`); // no patient
        lines.push(`F${i},L1,1997-03-04,P${id},,,service,SVC,-40.00,,,`); // a refund
      }
    });
  return `${lines.join('\n')}\n`;
}

describe('caliper clv fit', () => {
  it('reproduces the published BG/NBD and Gamma-Gamma fits from the raw CDNOW log (--json)', async () => {
    const started = Date.now();
    expect(await main([...CDNOW_ARGS, '--json'])).toBe(0);
    const seconds = (Date.now() - started) / 1000;
    const report = JSON.parse(stdout) as ClvFitReport;
    expect(report).toMatchObject({
      format: 'cdnow',
      calibration_end: '1997-09-30',
      time_unit: 'week',
      rows_read: 6919,
      issues: [],
      customers: 2357,
      repeat_buyers: 946,
    });
    expect(report.failure).toBeUndefined();
    const { bgnbd, gamma_gamma: gg } = report;
    expect(bgnbd!.converged).toBe(true);
    expect(bgnbd!.r).toBeCloseTo(PUBLISHED_BGNBD.r, 4);
    expect(bgnbd!.alpha).toBeCloseTo(PUBLISHED_BGNBD.alpha, 4);
    expect(bgnbd!.a).toBeCloseTo(PUBLISHED_BGNBD.a, 4);
    expect(bgnbd!.b).toBeCloseTo(PUBLISHED_BGNBD.b, 4);
    expect(bgnbd!.log_likelihood.toFixed(1)).toBe('-9582.4');
    expect(gg!.converged).toBe(true);
    expect(gg!.customers).toBe(946);
    expect(gg!.p.toFixed(2)).toBe(PUBLISHED_GAMMA_GAMMA.p.toFixed(2));
    expect(gg!.q.toFixed(2)).toBe(PUBLISHED_GAMMA_GAMMA.q.toFixed(2));
    expect(gg!.gamma.toFixed(2)).toBe(PUBLISHED_GAMMA_GAMMA.gamma.toFixed(2));
    expect(gg!.log_likelihood.toFixed(4)).toBe('-4055.9177');
    // Generous: the fit itself takes well under a second; this only catches a pathological slowdown.
    expect(seconds).toBeLessThan(15);
  });

  it('prints the parameters, log-likelihoods, customers and repeat buyers for a person', async () => {
    expect(await main(CDNOW_ARGS)).toBe(0);
    expect(stdout).toMatch(/Customers 2,357 · repeat buyers 946/);
    expect(stdout).toMatch(/BG\/NBD +r 0\.24259\d +alpha 4\.41360\d +a 0\.79292\d +b 2\.42590\d/);
    expect(stdout).toMatch(/LL -9582\.429\d over 2,357 customers, converged/);
    expect(stdout).toMatch(/Gamma-Gamma +p 6\.2495\d\d +q 3\.7442\d\d +gamma 15\.4435\d\d/);
    expect(stdout).toMatch(/LL -4055\.9177 over 946 repeat buyers/);
  });

  it('reads a canonical sales.csv: service and package lines with a patient, gross − discount, no refunds', async () => {
    const sales = path.join(dir, 'sales.csv');
    fs.writeFileSync(sales, cdnowAsCanonicalSales());
    const args = ['clv', 'fit', '--transactions', sales, '--calibration-end', '1997-09-30'];
    expect(await main([...args, '--time-unit', 'day', '--json'])).toBe(0);
    const report = JSON.parse(stdout) as ClvFitReport;
    expect(report).toMatchObject({
      format: 'canonical',
      time_unit: 'day',
      customers: 2357,
      repeat_buyers: 946,
    });
    expect(report.rows_skipped).toBe(3 * 139);
    // The same customers in days: α seven times the weekly one, the rest unchanged.
    expect(report.bgnbd!.alpha / PUBLISHED_BGNBD.alpha).toBeCloseTo(7, 3);
    expect(report.bgnbd!.r).toBeCloseTo(PUBLISHED_BGNBD.r, 4);
    expect(report.bgnbd!.b).toBeCloseTo(PUBLISHED_BGNBD.b, 4);
    expect(report.gamma_gamma!.log_likelihood.toFixed(4)).toBe('-4055.9177');
  });

  it('exits 1 with the rows it cannot read, fitting nothing', async () => {
    const sales = path.join(dir, 'sales.csv');
    fs.writeFileSync(
      sales,
      'line_id,location_id,sold_on,patient_id,kind,gross,discount\n' +
        'S1,L1,2024-01-05,P1,service,520.00,20.00\n' +
        'S2,L1,2024-02-30,P1,service,100.00,\n' +
        'S3,L1,2024-03-01,P2,service,$90,\n' +
        'S4,L1,2024-03-02,P3,service,jane.doe@example.com,\n',
    );
    expect(
      await main(['clv', 'fit', '--transactions', sales, '--calibration-end', '2024-06-30', '--json']),
    ).toBe(1);
    const report = JSON.parse(stdout) as ClvFitReport;
    expect(report.issues.slice(0, 2)).toEqual([
      { row: 3, message: 'sold_on: bad date "2024-02-30"' },
      { row: 4, message: 'gross: bad amount "$90"' },
    ]);
    // A cell that holds personal data is described, never quoted.
    expect(report.issues[2]!.row).toBe(5);
    expect(stdout).not.toContain('jane.doe');
    expect(report.bgnbd).toBeNull();
    expect(report.failure).toMatch(/3 row\(s\) of sales\.csv cannot be read/);
  });

  it('exits 1 for a missing file or a log with no customer in the calibration period', async () => {
    expect(
      await main([
        'clv',
        'fit',
        '--transactions',
        path.join(dir, 'nope.csv'),
        '--calibration-end',
        '2024-06-30',
      ]),
    ).toBe(1);
    expect(stdout).toMatch(/cannot be read/);
    stdout = '';
    expect(await main([...CDNOW_ARGS.slice(0, -1), '1996-12-31'])).toBe(1);
    expect(stdout).toMatch(/no customer bought on or before 1996-12-31/);
  });

  it('exits 2 on a usage error: a bad date, format or time unit, or no --calibration-end', async () => {
    expect(await main([...CDNOW_ARGS.slice(0, -1), '1997-09-31'])).toBe(2);
    expect(stderr).toMatch(/--calibration-end "1997-09-31": expected a date YYYY-MM-DD/);
    expect(await main([...CDNOW_ARGS, '--format', 'excel'])).toBe(2);
    expect(await main([...CDNOW_ARGS, '--time-unit', 'month'])).toBe(2);
    expect(await main(['clv', 'fit', '--transactions', CDNOW_LOG])).toBe(2);
  });
});
