import type { FileReport } from '../../../shared/ingest/dataQuality';
import {
  blocksCommit,
  checkRejections,
  describeRejections,
  formatShare,
  parseMaxRejected,
} from '../../../shared/ingest/rejectionThreshold';

function file(name: string, read: number, rejected: number): FileReport {
  return {
    file: name,
    entity: 'sales',
    bytes: 0,
    sha256: '',
    rows_read: read,
    rows_accepted: read - rejected,
    rows_rejected: rejected,
    rows_inserted: 0,
    rows_updated: 0,
    rows_unchanged: 0,
    issues: [],
  };
}

describe('parseMaxRejected', () => {
  it('reads a percentage or a share from 0 to 1', () => {
    expect(parseMaxRejected('10%')).toBe(0.1);
    expect(parseMaxRejected(' 10 % ')).toBe(0.1);
    expect(parseMaxRejected('0.1')).toBe(0.1);
    expect(parseMaxRejected('100%')).toBe(1);
    expect(parseMaxRejected('1')).toBe(1);
    expect(parseMaxRejected('0')).toBe(0);
    expect(parseMaxRejected('2.5%')).toBe(0.025);
  });

  it('refuses what is not a share: a bare 10 (10 % or 1000 %?), more than 100 %, negative or words', () => {
    for (const text of ['10', '150%', '-5%', '-0.1', 'ten', '', '%', '0.1.2', '5%%']) {
      expect({ text, share: parseMaxRejected(text) }).toEqual({ text, share: null });
    }
  });
});

describe('checkRejections', () => {
  it('names the files whose rejected share is above the limit, per file, not over the whole ingest', () => {
    const check = checkRejections(
      [file('a.csv', 100, 60), file('b.csv', 10000, 1), file('c.csv', 0, 0)],
      0.05,
      false,
    );

    expect(check).toEqual({
      max_share: 0.05,
      accepted: false,
      files_over: [{ file: 'a.csv', rows_read: 100, rows_rejected: 60, share: 0.6 }],
    });
    expect(blocksCommit(check)).toBe(true);
  });

  it('lets a file exactly at the limit through, and a file above it only when accepted', () => {
    expect(checkRejections([file('a.csv', 100, 5)], 0.05, false).files_over).toEqual([]);
    const accepted = checkRejections([file('a.csv', 100, 6)], 0.05, true);
    expect(accepted.files_over).toHaveLength(1);
    expect(blocksCommit(accepted)).toBe(false);
    expect(checkRejections([file('a.csv', 100, 100)], 1, false).files_over).toEqual([]);
  });
});

describe('describeRejections', () => {
  it('names each file with its rows and share, says nothing was written and how to go on', () => {
    const check = checkRejections(
      [file('exports/zenoti.csv → appointments.csv', 34571, 26937), file('b.csv', 9, 7)],
      0.05,
      false,
    );

    expect(describeRejections(check, 7636)).toBe(
      'more than 5 % of the rows were rejected in 2 files: exports/zenoti.csv → appointments.csv 26,937 of 34,571 rows (77.9 %), ' +
        'b.csv 7 of 9 rows (77.8 %); nothing was written. Fix those rows and ingest again, or accept the rejected rows to commit the 7,636 accepted rows anyway',
    );
  });

  it('shows a share that rounds to the limit with one more decimal, so it reads as above it', () => {
    const check = checkRejections([file('a.csv', 10000, 501)], 0.05, false);

    expect(describeRejections(check, 1)).toMatch(
      /a\.csv 501 of 10,000 rows \(5\.01 %\);.* the 1 accepted row anyway$/,
    );
    expect(formatShare(0.6)).toBe('60 %');
  });
});
