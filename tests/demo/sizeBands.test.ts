import {
  type CanonicalFileName,
  DEMO_COLUMNS,
  type DemoOptions,
  generateDemoLocation,
} from '../../demo/demoPortfolio';

/** LTM facts of one location, folded while its rows stream by. */
interface LocationLtm {
  closed: boolean;
  opened: string;
  netCents: number;
  visitMinutes: number;
  shiftMinutes: number;
}

const OPTIONS: DemoOptions = { locations: 8, years: 1, seed: 11, endMonth: '2025-06' };
const LTM_START = '2024-07-01';

function column(file: CanonicalFileName, name: string): number {
  return DEMO_COLUMNS[file].indexOf(name);
}

function cents(text: string): number {
  return Math.round(Number(text) * 100);
}

function minutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function ltmOf(index: number): LocationLtm {
  const ltm: LocationLtm = { closed: false, opened: '', netCents: 0, visitMinutes: 0, shiftMinutes: 0 };
  generateDemoLocation(OPTIONS, index, {
    row(file, v) {
      if (file === 'locations.csv') {
        ltm.closed = v[column(file, 'closed_on')] !== '';
        ltm.opened = v[column(file, 'opened_on')]!;
      } else if (file === 'sales.csv' && v[column(file, 'sold_on')]! >= LTM_START) {
        // Net revenue per metrics.md: gross − discount of every kind but gift cards.
        if (v[column(file, 'kind')] !== 'gift_card') {
          ltm.netCents += cents(v[column(file, 'gross')]!) - cents(v[column(file, 'discount')]!);
        }
      } else if (file === 'appointments.csv' && v[column(file, 'status')] === 'completed') {
        if (v[column(file, 'start_at')]! >= LTM_START)
          ltm.visitMinutes += Number(v[column(file, 'duration_min')]);
      } else if (file === 'shifts.csv' && v[column(file, 'date')]! >= LTM_START) {
        ltm.shiftMinutes += minutes(v[column(file, 'end_time')]!) - minutes(v[column(file, 'start_time')]!);
      }
    },
  });
  return ltm;
}

describe('location sizes (8 locations × 1 year)', () => {
  let established: LocationLtm[];

  beforeAll(() => {
    const locations = Array.from({ length: OPTIONS.locations }, (_, i) => ltmOf(i));
    established = locations.filter((l) => !l.closed && l.opened < LTM_START);
  });

  it('spans all four LTM revenue size bands with eight locations', () => {
    const bands = new Set(
      established.map((l) => {
        const dollars = l.netCents / 100;
        return dollars < 1e6 ? '<$1M' : dollars < 3e6 ? '$1-3M' : dollars < 6e6 ? '$3-6M' : '>$6M';
      }),
    );
    expect([...bands].sort()).toEqual(['$1-3M', '$3-6M', '<$1M', '>$6M']);
    for (const l of established) {
      expect(l.netCents / 100).toBeGreaterThan(500_000);
      expect(l.netCents / 100).toBeLessThan(10_000_000);
    }
  });

  it('keeps established locations’ capacity utilization between about 50 % and 90 %', () => {
    for (const l of established) {
      expect(l.visitMinutes / l.shiftMinutes).toBeGreaterThan(0.5);
      expect(l.visitMinutes / l.shiftMinutes).toBeLessThan(0.9);
    }
  });
});
