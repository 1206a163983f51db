import { JSON_PROFILES } from '../../../../shared/connectors/json';
import type { VendorProfile } from '../../../../shared/connectors/vendorProfile';
import { fileSpecByName } from '../../../../shared/model/canonicalBundle';
import { FIXTURES, readFixture } from './fixtures';

function profileById(id: string): VendorProfile {
  const profile = JSON_PROFILES.find((p) => p.id === id);
  if (!profile) throw new Error(`no JSON profile ${id}`);
  return profile;
}

describe.each(FIXTURES)('the %s fixture', (name) => {
  const { json, expected, fileName } = readFixture(name);
  const profile = profileById(expected.profile);

  it('converts to exactly the canonical rows written beside it, to the cent', () => {
    const result = profile.convert({ format: 'json', json }, { fileName, ...expected.context });
    expect(result.records).toEqual(expected.records);
    expect(result.issues.map(({ severity, row, column, code }) => ({ severity, row, column, code }))).toEqual(
      expected.issues,
    );
    for (const issue of result.issues) expect(issue.message).toContain(fileName);
  });

  it('is recognized by its own profile with a high score and by no other', () => {
    const scores = JSON_PROFILES.map((p) => ({
      id: p.id,
      score: p.detect({ format: 'json', fileName, json }),
    }));
    const own = scores.find((s) => s.id === profile.id);
    expect(own?.score).toBeGreaterThanOrEqual(0.85);
    expect(scores.filter((s) => s.id !== profile.id && s.score > 0.5)).toEqual([]);
  });
});

describe('every JSON profile', () => {
  it('has a fixture', () => {
    const covered = new Set(FIXTURES.map((name) => readFixture(name).expected.profile));
    expect(JSON_PROFILES.map((p) => p.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it('has a unique id', () => {
    const ids = JSON_PROFILES.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('every expected canonical row', () => {
  it.each(FIXTURES)('of %s passes the canonical file spec it is written for', (name) => {
    const { expected } = readFixture(name);
    for (const record of expected.records) {
      const spec = fileSpecByName(`${record.entity}.csv`);
      const parsed = spec?.schema.safeParse(record.values);
      expect({
        row: record.sourceRow,
        entity: record.entity,
        ok: parsed?.success,
        problems: parsed?.error?.issues,
      }).toEqual({
        row: record.sourceRow,
        entity: record.entity,
        ok: true,
        problems: undefined,
      });
      expect(parsed?.success && spec ? spec.check(parsed.data) : []).toEqual([]);
    }
  });
});
