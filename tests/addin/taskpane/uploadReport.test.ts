import {
  acceptLabel,
  createdLocationsText,
  exampleText,
  filesOverLines,
  formatCount,
  groupTitle,
  needsAcceptance,
  overLimitText,
  rowsSummary,
} from '../../../addin/taskpane/uploadReport';
import type { IssueGroup } from '../../../shared/ingest/dataQuality';
import { overThreshold } from '../support/ingestReports';

describe('the upload report texts', () => {
  it('shows counts with thousands separators: 7,634 of 34,571 rows', () => {
    expect(formatCount(34571)).toBe('34,571');
    expect(formatCount(7)).toBe('7');
    expect(rowsSummary(overThreshold())).toBe('7,634 of 34,571 rows accepted, 26,937 rejected.');
  });

  it('offers to commit the accepted rows only when the threshold alone stopped the ingest', () => {
    const report = overThreshold();
    expect(needsAcceptance(report)).toBe(true);
    expect(acceptLabel(report)).toBe('Commit the 7,634 accepted rows anyway');
    expect(overLimitText(report)).toBe(
      '7,634 of 34,571 rows accepted, 26,937 rejected. More than 5 % of the rows were rejected in:',
    );
    expect(filesOverLines(report)).toEqual([
      'zenoti.csv → appointments.csv: 26,937 of 34,571 rows rejected (77.9 %)',
    ]);

    // Committed, already accepted, a broken file (no check), or no row to commit: no confirm step.
    expect(needsAcceptance(overThreshold({ committed: true, failure: null }))).toBe(false);
    expect(needsAcceptance(overThreshold({ rejection: { ...report.rejection!, accepted: true } }))).toBe(
      false,
    );
    expect(needsAcceptance(overThreshold({ rejection: null }))).toBe(false);
    expect(needsAcceptance(overThreshold({ totals: { ...report.totals, rows_accepted: 0 } }))).toBe(false);
  });

  it('titles a group by its count, kind and code, and shows an example by row and column', () => {
    const group = overThreshold().issue_groups[0]!;
    expect(groupTitle(group)).toBe('26,937 rejected · unknown_location');
    const warning: IssueGroup = { ...group, severity: 'warning', count: 1 };
    expect(groupTitle(warning)).toBe('1 warning · unknown_location');
    expect(exampleText(group.examples[0]!)).toBe(
      'row 2, location_id: location_id "Z9" is not in locations.csv',
    );
    expect(exampleText({ row: null, column: null, message: 'the file is empty' })).toBe('the file is empty');
  });

  it('names the locations an upload created and what their missing opening date costs', () => {
    const evolve = {
      location_id: 'evolve-austin',
      name: 'Evolve Austin',
      emr_system: 'Zenoti',
      mentions: ['Evolve Austin'],
      vendor: 'zenoti',
    };
    const committed = { committed: true, failure: null, ingest_id: 3 };
    expect(createdLocationsText(overThreshold({ ...committed, created_locations: [evolve] }))).toBe(
      'Caliper created 1 location the exports named: Evolve Austin (evolve-austin). It is not in same-store growth or peer cohorts until its opening date is set.',
    );
    const square = { ...evolve, location_id: 'square:LQX', name: 'square:LQX', vendor: 'square' };
    expect(createdLocationsText(overThreshold({ ...committed, created_locations: [evolve, square] }))).toBe(
      'Caliper created 2 locations the exports named: Evolve Austin (evolve-austin), square:LQX. Each is not in same-store growth or peer cohorts until its opening date is set.',
    );
    // Nothing created, or nothing written: nothing to say.
    expect(createdLocationsText(overThreshold({ ...committed, created_locations: [] }))).toBeNull();
    expect(createdLocationsText(overThreshold({ created_locations: [evolve] }))).toBeNull();
  });
});
