import fs from 'node:fs';
import path from 'node:path';

import { openVendorBundles, type VendorBundles } from '../../io/vendorBundle';
import { type Bundle, isRecordFile } from '../../shared/ingest/bundle';
import { ingestBundles } from '../../shared/ingest/ingestBundles';
import { openTestStore, type TestStore } from '../support/testStore';
import { zipFolder } from '../support/zipFolder';

/*
 * A data room as users keep one: a folder per location, sub-folders by system, a locations.csv
 * and a service categories file written by hand beside the exports. What a folder's files say
 * holds for the exports in it and below it, never for a sibling.
 */

const VENDORS = path.join(__dirname, '..', 'fixtures', 'vendors');
const ZENOTI_APPOINTMENTS = path.join(VENDORS, 'zenoti', 'appointments.csv');
const GOOGLE_ADS = path.join(VENDORS, 'google_ads', 'campaign_report.csv');

let t: TestStore;
beforeEach(() => {
  t = openTestStore();
});
afterEach(async () => {
  await t.close();
});

/** Writes files under the data room (`A/ads/report.csv` → a copy of a fixture, or text). */
function room(files: Record<string, string>): string {
  const root = path.join(t.dir, 'room');
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(root, ...name.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (fs.existsSync(content)) fs.copyFileSync(content, target);
    else fs.writeFileSync(target, content);
  }
  return root;
}

function opened(result: VendorBundles): Extract<VendorBundles, { ok: true }> {
  if (!result.ok) throw new Error(`conversion failed: ${JSON.stringify(result.errors)}`);
  return result;
}

/** The distinct values of a canonical column across the converted files of that name. */
function column(bundles: readonly Bundle[], file: string, name: string): string[] {
  const values = new Set<string>();
  for (const f of bundles.flatMap((b) => b.files).filter((f) => f.name === file)) {
    if (!isRecordFile(f)) throw new Error(`${f.displayPath} is not converted records`);
    for (const record of f.records) values.add(record.values[name] ?? '');
  }
  return [...values].sort();
}

const ONE_LOCATION =
  'location_id,name,timezone,opened_on\nA1,Evolve Med Spa Austin,America/Chicago,2020-01-01\n';

describe('a data room of folders', () => {
  it("reads an ads report that names no location as the one location a parent folder's locations.csv describes", async () => {
    const root = room({ 'A/locations.csv': ONE_LOCATION, 'A/ads/google/campaign_report.csv': GOOGLE_ADS });

    const result = opened(await openVendorBundles([root]));

    expect(result.bundles.map((b) => b.label)).toEqual([
      path.join(root, 'A'),
      path.join(root, 'A', 'ads', 'google'),
    ]);
    expect(column(result.bundles, 'marketing_spend.csv', 'location_id')).toEqual(['A1']);
    expect(result.createdLocations).toEqual([]);
  });

  it('asks for the location when the nearest locations.csv describes several', async () => {
    const two = `${ONE_LOCATION}B1,Evolve Med Spa Dallas,America/Chicago,2021-01-01\n`;
    const root = room({ 'locations.csv': two, 'ads/campaign_report.csv': GOOGLE_ADS });

    const result = await openVendorBundles([root]);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.code)).toEqual(['missing_location']);
  });

  it("reads a folder named after a known location as that location's", async () => {
    const root = room({ 'Austin/campaign_report.csv': GOOGLE_ADS });

    const result = opened(
      await openVendorBundles([root], {
        knownLocations: [{ location_id: 'L9', name: 'Evolve – Austin', timezone: null }],
      }),
    );

    expect(column(result.bundles, 'marketing_spend.csv', 'location_id')).toEqual(['L9']);
  });

  it('applies a service categories file to the exports of its folder and below, not to a sibling folder', async () => {
    const categories = 'service_name,category\nBotox - per unit,neurotoxin\nSignature Glow Ritual,facial\n';
    const inside = room({
      'A/service_categories.csv': categories,
      'A/zenoti/appointments.csv': ZENOTI_APPOINTMENTS,
    });
    const withFile = opened(await openVendorBundles([inside]));
    expect(withFile.recognized.find((r) => r.profile === 'caliper.service_categories')).toEqual(
      expect.objectContaining({ file: path.join(inside, 'A', 'service_categories.csv'), rows: 2 }),
    );
    expect(withFile.warnings.filter((w) => w.code === 'unmapped_service')).toEqual([]);

    fs.rmSync(inside, { recursive: true });
    const sibling = room({
      'A/service_categories.csv': categories,
      'B/appointments.csv': ZENOTI_APPOINTMENTS,
    });
    const withoutFile = opened(await openVendorBundles([sibling]));
    expect(withoutFile.warnings.filter((w) => w.code === 'unmapped_service').map((w) => w.file)).toEqual([
      path.join(sibling, 'B', 'appointments.csv'),
    ]);
  });

  it('refuses a categories file with a category that does not exist, naming the file and row', async () => {
    const root = room({
      'service_categories.csv': 'service_name,category\nBotox - per unit,toxin\n',
      'appointments.csv': ZENOTI_APPOINTMENTS,
    });

    const result = await openVendorBundles([root]);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      expect.objectContaining({
        file: path.join(root, 'service_categories.csv'),
        code: 'invalid_option_file',
        message: expect.stringMatching(/service_categories\.csv row 2: "toxin" is not a category/),
      }),
    ]);
  });

  it("lets the user's own services.csv in a sub-folder complete what an export derives, in one ingest", async () => {
    const root = room({
      'locations.csv': ONE_LOCATION,
      'appointments.csv': ZENOTI_APPOINTMENTS,
      'directory/services.csv':
        'service_code,service_name,category,default_duration_min\nzenoti:signature-glow-ritual,Signature Glow Ritual,facial,75\n',
    });

    const result = opened(await openVendorBundles([root]));
    const report = await ingestBundles(result.bundles, {
      store: t.store,
      tenant: 't1',
      pseudonymizer: t.pseudonymizer,
    });

    expect(report.committed).toBe(true);
    expect(report.files.flatMap((f) => f.issues).filter((i) => i.code === 'duplicate_key')).toEqual([]);
    const row = t.store.db
      .prepare(
        "SELECT category, default_duration_min FROM services WHERE service_code = 'zenoti:signature-glow-ritual'",
      )
      .get();
    expect(row).toEqual({ category: 'facial', default_duration_min: 75 });
  });

  it('reads a zip of the room the same way, one bundle per folder inside it', async () => {
    const root = room({ 'A/locations.csv': ONE_LOCATION, 'A/ads/campaign_report.csv': GOOGLE_ADS });
    const zip = path.join(t.dir, 'room.zip');
    fs.writeFileSync(zip, await zipFolder(root));

    const result = opened(await openVendorBundles([zip]));

    expect(result.bundles.map((b) => b.label)).toEqual([`${zip}:A/`, `${zip}:A/ads/`]);
    expect(column(result.bundles, 'marketing_spend.csv', 'location_id')).toEqual(['A1']);
  });
});
