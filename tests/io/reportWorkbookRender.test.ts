/*
 * The fixture board pack as LibreOffice prints it: one PNG per page under
 * test-artifacts/report/ (with the .xlsx beside them), to look at. The test only checks the
 * pages exist and hold an image; a person checks they read well.
 */

import fs from 'node:fs';
import path from 'node:path';

import { writeReportWorkbook } from '../../io/reportWorkbook';
import { renderSheetsToPng } from '../support/libreOffice';
import { FIXTURE } from './reportFixture';

const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'report');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

it('renders every sheet of the board pack to PNG pages', async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const xlsx = path.join(ARTIFACTS, 'board-pack.xlsx');
  await writeReportWorkbook(FIXTURE, xlsx);
  const pages = await renderSheetsToPng(xlsx, ARTIFACTS);
  // Three sheets; the third runs to a second page (its chart pushes the second table over).
  expect(pages.map((p) => path.basename(p))).toEqual([
    'board-pack-1.png',
    'board-pack-2.png',
    'board-pack-3.png',
    'board-pack-4.png',
  ]);
  for (const page of pages) {
    const bytes = fs.readFileSync(page);
    expect(bytes.length).toBeGreaterThan(5_000);
    expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  }
}, 180_000);
