import type { PatientFeatures } from '../../../shared/models/churnFeatures';
import { describe as words } from '../../../shared/models/churnReasons';

/** Only the fields the spend words read; the rest of a patient does not matter here. */
function withSpend(recentCents: number, priorCents: number): PatientFeatures {
  return { spend: { recentCents, priorCents, trend: 0.5 } } as unknown as PatientFeatures;
}

describe('the spend trend in words', () => {
  it('says the change in percent up to a tripling', () => {
    expect(words('spend_trend', withSpend(55_000, 100_000), 90)).toBe(
      'spend down 45 % on the prior 6 months',
    );
    expect(words('spend_trend', withSpend(300_000, 100_000), 90)).toBe(
      'spend up 200 % on the prior 6 months',
    );
  });

  it('says both amounts past a tripling, not a percentage in the thousands', () => {
    // $1,440 after $10: +14,300 % would read as a glitch to a front desk.
    expect(words('spend_trend', withSpend(144_000, 1_000), 90)).toBe(
      'spend of $1,440 in the last 6 months, up from $10 in the 6 before',
    );
  });
});
