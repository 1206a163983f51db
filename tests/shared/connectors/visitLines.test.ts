import {
  coveredMinutes,
  groupServiceLines,
  primaryLine,
  type ServiceLine,
} from '../../../shared/connectors/visitLines';
import type { AppointmentStatus } from '../../../shared/model/canonicalBundle';

/** A service line of guest G1 at L1 on 2026-10-05 unless told otherwise. */
function line(
  row: number,
  time: string,
  minutes: number,
  status: AppointmentStatus = 'completed',
  more: Partial<ServiceLine> & { name?: string } = {},
): ServiceLine & { name: string } {
  return {
    row,
    location: 'L1',
    patient: 'G1',
    visitNumber: 'INV-1',
    start: `2026-10-05T${time}:00`,
    minutes,
    status,
    name: `line ${row}`,
    ...more,
  };
}

describe('service lines → visits', () => {
  it('makes the lines of one guest at one location on one day one visit, add-on and 0-minute lines included', () => {
    const { visits, strays } = groupServiceLines([
      line(2, '09:30', 30, 'completed', { name: 'Botox' }),
      line(3, '09:45', 15, 'completed', { addOn: true, name: 'Lip flip add-on' }),
      line(4, '09:30', 0, 'completed', { name: '$0 consult' }),
    ]);
    expect(strays).toEqual([]);
    expect(visits).toHaveLength(1);
    expect(visits[0]).toMatchObject({ status: 'completed', start: '2026-10-05T09:30:00', minutes: 30 });
    expect(visits[0]!.primary.name).toBe('Botox');
    expect(visits[0]!.lines.map((l) => l.row)).toEqual([2, 3, 4]);
  });

  it('keeps two invoices of one guest on one day two visits; a line without a number joins the only numbered visit', () => {
    const two = groupServiceLines([
      line(2, '09:00', 30, 'completed', { visitNumber: 'INV-1' }),
      line(3, '15:00', 30, 'no_show', { visitNumber: 'INV-2' }),
    ]);
    expect(two.visits.map((v) => [v.visitNumber, v.status])).toEqual([
      ['INV-1', 'completed'],
      ['INV-2', 'no_show'],
    ]);
    const joined = groupServiceLines([
      line(2, '09:00', 30, 'completed'),
      line(3, '09:30', 30, 'cancelled', { visitNumber: '' }),
    ]);
    expect(joined.visits).toHaveLength(1);
    expect(joined.visits[0]!.lines).toHaveLength(2);
  });

  it('keeps other guests, other days and other locations apart', () => {
    const { visits } = groupServiceLines([
      line(2, '09:00', 30),
      line(3, '09:00', 30, 'completed', { patient: 'G2' }),
      line(4, '09:00', 30, 'completed', { location: 'L2' }),
      line(5, '09:00', 30, 'completed', { start: '2026-10-06T09:00:00' }),
    ]);
    expect(visits.map((v) => v.primary.row)).toEqual([2, 3, 4, 5]);
  });

  it('makes no visit of an add-on or a 0-minute line alone: it is a stray for the caller to report', () => {
    const { visits, strays } = groupServiceLines([
      line(2, '09:00', 15, 'completed', { addOn: true }),
      line(3, '10:00', 0, 'completed', { patient: 'G2' }),
    ]);
    expect(visits).toEqual([]);
    expect(strays.map((s) => s.map((l) => l.row))).toEqual([[2], [3]]);
  });

  it('is completed when any main line was, and a cancelled line in it adds no minutes and no appointment', () => {
    const { visits } = groupServiceLines([
      line(2, '09:00', 30, 'cancelled', { name: 'Kybella' }),
      line(3, '09:30', 30, 'completed', { name: 'Botox' }),
      line(4, '10:00', 30, 'cancelled', { name: 'Filler' }),
    ]);
    expect(visits).toHaveLength(1);
    expect(visits[0]).toMatchObject({ status: 'completed', start: '2026-10-05T09:30:00', minutes: 30 });
    expect(visits[0]!.primary.name).toBe('Botox');
  });

  it('takes the status of the primary line when no main line was completed', () => {
    const { visits } = groupServiceLines([
      line(2, '11:00', 30, 'cancelled'),
      line(3, '10:00', 60, 'no_show'),
      line(4, '09:00', 15, 'completed', { addOn: true }),
    ]);
    expect(visits[0]).toMatchObject({ status: 'no_show', start: '2026-10-05T10:00:00', minutes: 60 });
  });
});

describe('the primary line', () => {
  it('is the earliest main line, on a tie the longest, on a tie the first given', () => {
    expect(primaryLine([line(2, '10:00', 60), line(3, '09:00', 15)])?.row).toBe(3);
    expect(primaryLine([line(2, '09:00', 30), line(3, '09:00', 60)])?.row).toBe(3);
    expect(primaryLine([line(2, '09:00', 30), line(3, '09:00', 30)])?.row).toBe(2);
  });

  it('is never an add-on or a 0-minute line; a line of unknown length can be it', () => {
    expect(
      primaryLine([
        line(2, '08:00', 30, 'completed', { addOn: true }),
        line(3, '08:00', 0),
        line(4, '09:00', 30),
      ])?.row,
    ).toBe(4);
    expect(primaryLine([{ start: '2026-10-05T09:00:00Z', minutes: null }])).toBeDefined();
    expect(primaryLine([line(2, '08:00', 0)])).toBeUndefined();
  });

  it('compares instants, so lines stamped with an offset order by their real time', () => {
    const lines = [
      { start: '2026-10-05T10:00:00-05:00', minutes: 30, id: 'a' },
      { start: '2026-10-05T14:30:00Z', minutes: 30, id: 'b' },
    ];
    expect(primaryLine(lines)?.id).toBe('b');
  });
});

describe('the minutes of a visit', () => {
  const at = (time: string, minutes: number) => ({ start: `2026-10-05T${time}:00`, minutes });

  it('add up back to back, count an overlap once and leave a gap out', () => {
    expect(coveredMinutes([at('09:00', 30), at('09:30', 30)])).toBe(60);
    expect(coveredMinutes([at('09:00', 60), at('09:15', 15)])).toBe(60);
    expect(coveredMinutes([at('09:00', 30), at('15:00', 30)])).toBe(60);
    expect(coveredMinutes([at('09:00', 0)])).toBe(0);
  });
});
