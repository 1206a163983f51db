import { actionId, parseActionId } from '../../../shared/actions/actionIds';

describe('action ids', () => {
  it('read as rule:location:subject:period for plain ids', () => {
    const id = actionId({
      rule: 'vip_past_due',
      locationId: 'L001',
      subjectId: 'L001-P000123',
      period: '2026-11',
    });
    expect(id).toBe('vip_past_due:L001:L001-P000123:2026-11');
  });

  it('escape everything but letters, digits, dot, underscore and dash, so an id is one URL path segment', () => {
    const id = actionId({
      rule: 'cadence_broken',
      locationId: 'L 1',
      subjectId: 'zenoti:L1/55~x',
      period: '2026-01',
    });
    expect(id).toBe('cadence_broken:L~201:zenoti~3AL1~2F55~7Ex:2026-01');
    expect(encodeURIComponent(id).replace(/%3A/g, ':')).toBe(id);
    expect(
      actionId({ rule: 'no_show_spike', locationId: 'Zürich', subjectId: 'Zürich', period: '2026-01' }),
    ).toBe('no_show_spike:Z~C3~BCrich:Z~C3~BCrich:2026-01');
  });

  it('split back into the parts they were made of, whatever the parts hold', () => {
    for (const parts of [
      { rule: 'vip_past_due', locationId: 'L001', subjectId: 'mindbody:2004520', period: '2026-11' },
      { rule: 'provider_out_of_band', locationId: 'a:b', subjectId: 'c', period: '2025-02' },
      { rule: 'provider_out_of_band', locationId: 'a', subjectId: 'b:c', period: '2025-02' },
      { rule: 'no_show_spike', locationId: '~%/😀', subjectId: ' ', period: '1999-12' },
    ] as const) {
      expect(parseActionId(actionId(parts))).toEqual(parts);
    }
    // The two splits of "a:b:c" are two ids.
    expect(
      actionId({ rule: 'no_show_spike', locationId: 'a:b', subjectId: 'c', period: '2025-02' }),
    ).not.toBe(actionId({ rule: 'no_show_spike', locationId: 'a', subjectId: 'b:c', period: '2025-02' }));
  });

  it('refuse what no trigger wrote: another rule, a bad period, a stray escape, a second spelling', () => {
    for (const id of [
      '',
      'vip_past_due:L001:P1',
      'vip_past_due:L001:P1:2026-11:extra',
      'not_a_rule:L001:P1:2026-11',
      'vip_past_due:L001:P1:2026-13',
      'vip_past_due::P1:2026-11',
      'vip_past_due:L001:P~2:2026-11',
      'vip_past_due:L001:P~41:2026-11', // ~41 is "A", which is written plainly
      'vip_past_due:L001:P~FF:2026-11', // not UTF-8
      'vip_past_due:L001:P 1:2026-11',
    ]) {
      expect({ id, parts: parseActionId(id) }).toEqual({ id, parts: null });
    }
  });
});
