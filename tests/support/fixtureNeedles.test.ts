import fs from 'node:fs';
import path from 'node:path';

import { needlesFound } from '../shared/actions/actionsDemo';
import { needlesIn, needlesOf } from './fixtureNeedles';
import { tempDir } from './testStore';

/*
 * The grep tests' search: a phone's digits inside a longer number (a churn score's digits) are
 * not a leak; the number standing alone, formatted or as E.164 is. Both searches agree.
 */

let dir: string;
beforeAll(() => {
  dir = tempDir('caliper-needles-');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function phoneNeedles() {
  const file = path.join(dir, 'patients.csv');
  fs.writeFileSync(file, 'patient_id,phone\nP1,(415) 220-1802\n');
  return needlesOf(file).filter((n) => n.kind === 'phone');
}

describe('the grep tests look for a phone number standing alone', () => {
  it('looks for the number as written, as digits and as E.164 digits', () => {
    expect(phoneNeedles().map((n) => n.text)).toEqual(['(415) 220-1802', '4152201802', '14152201802']);
  });

  it.each([
    ['churn_risk 0.79541522018025', []],
    ['total 41522018020 cents', []],
    ['call (415) 220-1802 today', ['(415) 220-1802']],
    ['phone,4152201802,', ['4152201802']],
    ['tel:+14152201802', ['14152201802']],
  ])('in %j it finds %j', (output, found) => {
    const needles = phoneNeedles();
    const leaks = found.map((text) => `phone ${JSON.stringify(text)} (${needles[0]!.file}) in output`);
    expect(needlesIn(needles, { output }).sort()).toEqual(leaks.sort());
    expect(needlesFound(needles, { output }).sort()).toEqual(leaks.sort());
  });
});
