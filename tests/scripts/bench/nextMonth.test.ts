import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { oneMonthLater, writeNextMonthBundle } from '../../../scripts/bench/nextMonth';
import { fixture } from '../../support/testStore';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caliper-next-month-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm run bench: one location’s next month', () => {
  it('moves a date one month on, and drops a day the next month lacks (it would repeat a key)', () => {
    expect(oneMonthLater('2026-12-15')).toBe('2027-01-15');
    expect(oneMonthLater('2026-10-30T09:00:00')).toBe('2026-11-30T09:00:00');
    expect(oneMonthLater('2026-10-31T09:00:00')).toBeNull();
    expect(oneMonthLater('2026-01-29')).toBeNull();
    expect(oneMonthLater('2028-01-29')).toBe('2028-02-29');
  });

  it('copies the fact rows of the last month with a sale one month later, under new ids', () => {
    // north's last sale is S5 on 2024-04-12, paying for A2 (2024-04-12); no shift, pay period,
    // lead or spend starts in April 2024.
    const out = path.join(dir, 'L1');

    expect(writeNextMonthBundle(fixture('north'), out)).toEqual({ month: '2024-05', rows: 2 });

    const read = (file: string) => fs.readFileSync(path.join(out, file), 'utf8');
    expect(read('appointments.csv')).toBe(
      'appointment_id,location_id,patient_id,provider_id,service_code,booked_at,start_at,duration_min,status\n' +
        'A2-N,L1,PT1,PR1,BTX,2024-02-05T10:40:00,2024-05-12T10:00:00,30,completed\n',
    );
    expect(read('sales.csv')).toBe(
      'line_id,location_id,sold_on,patient_id,provider_id,appointment_id,kind,service_code,gross,discount,tax,tip\n' +
        'S5-N,L1,2024-05-12,PT1,PR1,A2-N,service,BTX,520,,0,\n',
    );
    expect(read('shifts.csv')).toBe('provider_id,location_id,date,start_time,end_time\n');
  });
});
