import { renderToStaticMarkup } from 'react-dom/server';

import { UploadReportView } from '../../../addin/taskpane/UploadReportView';
import { overThreshold } from '../support/ingestReports';

/** The markup as text, without tags, so assertions read like what the user sees. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

describe('the upload report view', () => {
  it('shows the files over the limit, the reasons grouped with examples and a fix, and the confirm button', () => {
    const html = renderToStaticMarkup(
      <UploadReportView report={overThreshold()} busy={false} onAccept={() => {}} />,
    );
    const text = textOf(html);

    expect(text).toContain('Nothing was written: too many rejected rows');
    expect(text).toContain('7,634 of 34,571 rows accepted, 26,937 rejected.');
    expect(text).toContain('zenoti.csv → appointments.csv: 26,937 of 34,571 rows rejected (77.9 %)');
    expect(text).toContain('26,937 rejected · unknown_location in zenoti.csv → appointments.csv');
    expect(text).toContain('row 2, location_id: location_id "Z9" is not in locations.csv');
    expect(text).toContain('… and 26,935 more like these');
    expect(text).toContain('Fix: add the location to locations.csv or let Caliper create it');
    expect(html).toMatch(/<button[^>]*>Commit the 7,634 accepted rows anyway<\/button>/);
  });

  it('has no confirm button once the report is committed', () => {
    const report = overThreshold({ committed: true, failure: null, ingest_id: 3 });
    const text = textOf(
      renderToStaticMarkup(<UploadReportView report={report} busy={false} onAccept={() => {}} />),
    );

    expect(text).toContain('Data-quality report');
    expect(text).not.toContain('accepted rows anyway');
  });

  it('offers to set the opening dates of the locations the upload created', () => {
    const report = overThreshold({
      committed: true,
      failure: null,
      ingest_id: 3,
      created_locations: [
        {
          location_id: 'evolve-austin',
          name: 'Evolve Austin',
          emr_system: 'Zenoti',
          mentions: ['Evolve Austin'],
          vendor: 'zenoti',
        },
      ],
    });
    const html = renderToStaticMarkup(
      <UploadReportView report={report} busy={false} onAccept={() => {}} onSetOpeningDates={() => {}} />,
    );

    expect(textOf(html)).toContain(
      'New locations Caliper created 1 location the exports named: Evolve Austin (evolve-austin). It is not in same-store growth or peer cohorts until its opening date is set.',
    );
    expect(html).toMatch(/<button[^>]*>Set opening dates<\/button>/);
  });
});
