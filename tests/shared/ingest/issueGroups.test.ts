import type { DataQualityIssue } from '../../../shared/ingest/dataQuality';
import { fixHintOf, groupIssues } from '../../../shared/ingest/issueGroups';

function issue(over: Partial<DataQualityIssue>): DataQualityIssue {
  return {
    file: 'sales.csv',
    row: 2,
    column: 'location_id',
    code: 'unknown_location',
    severity: 'error',
    message: 'location_id "L9" is not in locations.csv of this bundle nor already in the store',
    ...over,
  };
}

describe('groupIssues', () => {
  it('turns 20 rows with the same reason into one group with its count and the first two rows', () => {
    const issues = Array.from({ length: 20 }, (_, i) => issue({ row: i + 2 }));

    expect(groupIssues(issues)).toEqual([
      {
        file: 'sales.csv',
        code: 'unknown_location',
        severity: 'error',
        count: 20,
        examples: [
          { row: 2, column: 'location_id', message: issues[0]!.message },
          { row: 3, column: 'location_id', message: issues[1]!.message },
        ],
        hint: 'add the location to locations.csv or let Caliper create it',
      },
    ]);
  });

  it('keeps files, codes and severities apart: files in first-seen order, rejections before warnings, larger groups first', () => {
    const groups = groupIssues([
      issue({ file: 'b.csv', code: 'invalid_date', row: 5 }),
      issue({ file: 'a.csv', code: 'invalid_email', severity: 'warning' }),
      issue({ file: 'a.csv', code: 'invalid_date' }),
      issue({ file: 'a.csv', code: 'invalid_money' }),
      issue({ file: 'a.csv', code: 'invalid_money' }),
      issue({ file: 'b.csv', code: 'invalid_date', row: 6 }),
      issue({ file: 'a.csv', code: 'invalid_date', severity: 'warning' }),
    ]);

    expect(groups.map((g) => [g.file, g.code, g.severity, g.count])).toEqual([
      ['b.csv', 'invalid_date', 'error', 2],
      ['a.csv', 'invalid_money', 'error', 2],
      ['a.csv', 'invalid_date', 'error', 1],
      ['a.csv', 'invalid_email', 'warning', 1],
      ['a.csv', 'invalid_date', 'warning', 1],
    ]);
  });

  it('gives no hint for a code it does not know, such as a vendor connector’s own', () => {
    const [group] = groupIssues([issue({ code: 'vendor.unmapped_service', severity: 'warning' })]);

    expect(group).toMatchObject({ code: 'vendor.unmapped_service', hint: null });
    expect(fixHintOf('invalid_date')).toMatch(/^dates as YYYY-MM-DD/);
  });

  it('shows the messages as the issues wrote them, which withhold personal values', () => {
    const [group] = groupIssues([
      issue({
        code: 'invalid_email',
        severity: 'warning',
        column: 'email',
        message: 'not a valid email address (value withheld); the row was kept without it',
      }),
    ]);

    expect(group!.examples[0]!.message).toBe(
      'not a valid email address (value withheld); the row was kept without it',
    );
  });

  it('has nothing to group when there is no issue', () => {
    expect(groupIssues([])).toEqual([]);
  });
});
