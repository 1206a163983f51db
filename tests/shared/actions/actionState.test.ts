import type { Action } from '../../../shared/actions/action';
import { type ActionStateRecord, listActions, snoozeUntil } from '../../../shared/actions/actionState';

function action(id: string, alsoTrue: string[] = []): Action {
  return {
    id,
    rule: 'vip_past_due',
    audience: 'front_desk',
    locationId: 'L1',
    subject: { kind: 'patient', patientId: id },
    period: '2026-06',
    asOf: '2026-06-30',
    dollarsCents: 100,
    dollarsBasis: '',
    sentence: '',
    facts: [],
    alsoTrue: alsoTrue.map((other) => ({
      rule: 'cadence_broken',
      id: other,
      dollarsCents: 100,
      sentence: '',
    })),
    draft: null,
  };
}

const snoozed = (id: string, until: string): ActionStateRecord => ({
  action_id: id,
  status: 'snoozed',
  snoozed_until: until,
  updated_at: '2026-07-01T09:00:00.000Z',
});
const done = (id: string): ActionStateRecord => ({
  action_id: id,
  status: 'done',
  snoozed_until: null,
  updated_at: '2026-07-01T09:00:00.000Z',
});

describe('listing actions with their saved states', () => {
  const actions = [action('a'), action('b'), action('c'), action('d', ['d-other'])];
  const states = [
    snoozed('a', '2026-07-10'),
    done('b'),
    snoozed('c', '2026-07-01'),
    snoozed('d-other', '2026-08-01'),
  ];

  it('leaves out done actions and snoozed ones through their last day', () => {
    const ids = (today: string) => listActions(actions, states, { today }).map((l) => l.action.id);
    expect(ids('2026-07-01')).toEqual([]);
    expect(ids('2026-07-02')).toEqual(['c']); // c's snooze ended on 07-01
    expect(ids('2026-07-10')).toEqual(['c']);
    expect(ids('2026-07-11')).toEqual(['a', 'c']);
    expect(ids('2026-08-02')).toEqual(['a', 'c', 'd']); // b is done for good
  });

  it('hides a patient snoozed under another rule that folded into the action', () => {
    expect(listActions(actions, states, { today: '2026-07-20' }).map((l) => l.action.id)).not.toContain('d');
  });

  it('lists every action with its state when asked', () => {
    const listed = listActions(actions, states, { today: '2026-07-05', includeSnoozed: true });
    expect(listed.map((l) => [l.action.id, l.state])).toEqual([
      ['a', { status: 'snoozed', until: '2026-07-10' }],
      ['b', { status: 'done' }],
      ['c', null],
      ['d', { status: 'snoozed', until: '2026-08-01' }],
    ]);
  });

  it('holds a snooze for the situation into the next month, but a done only for its own month', () => {
    const december = [
      action('vip_past_due:L1:P1:2026-12'),
      action('cadence_broken:L1:P2:2026-12'),
      action('vip_past_due:L1:P3:2026-12'),
    ];
    const filed = [
      snoozed('vip_past_due:L1:P1:2026-11', '2026-12-20'),
      done('cadence_broken:L1:P2:2026-11'),
      snoozed('cadence_broken:L1:P3:2026-11', '2026-12-20'), // another rule, another situation
    ];
    const shown = (today: string) => listActions(december, filed, { today }).map((l) => l.action.id);
    expect(shown('2026-12-05')).toEqual(['cadence_broken:L1:P2:2026-12', 'vip_past_due:L1:P3:2026-12']);
    expect(shown('2026-12-21')).toEqual(december.map((a) => a.id));
  });

  it('snoozes only until a day after today', () => {
    expect(snoozeUntil('2026-07-02', '2026-07-01')).toEqual({ ok: true, until: '2026-07-02' });
    expect(snoozeUntil('2026-07-01', '2026-07-01')).toEqual({
      ok: false,
      message: 'until 2026-07-01 is not after today (2026-07-01): nothing to snooze',
    });
    expect(snoozeUntil('next week', '2026-07-01')).toMatchObject({ ok: false });
    expect(snoozeUntil('2026-02-30', '2026-01-01')).toMatchObject({ ok: false });
  });
});
