import fs from 'node:fs';
import path from 'node:path';

import { main } from '../../cli/caliper';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { writeCallListDemo } from '../support/callListDemo';
import { tempDir } from '../support/testStore';

/*
 * The same data gives the same figures whatever the tenant's secret: two stores, each with its
 * own random secret (so every person key, and the order of patients by it, differs), ingest the
 * same demo through the CLI; every patient-level output — the call list, the actions, the
 * briefing, the forecasts, the metrics — must be the same to the last digit. A model summing
 * over patients in pseudonym order once gave churn scores and forecasts that differed in their
 * last digits, and a near-degenerate fit that ended two ways.
 */

let dir: string;
let printed = '';
const outputs: Record<'a' | 'b', Record<string, string>> = { a: {}, b: {} };
const COMMANDS: Record<string, string[]> = {
  calllist: ['calllist', '--portfolio', '--json', '--n', '100000'],
  actions: ['actions', '--portfolio', '--json', '--as-of', '2025-12-31'],
  briefing: ['briefing', '--portfolio', '--json', '--date', '2026-01-05'],
  'forecast L001': ['forecast', '--location', 'L001', '--json'],
  metrics: ['metrics', '--period', 'LTM', '--format', 'json'],
};

async function cli(store: string, args: string[]): Promise<string> {
  printed = '';
  const code = await main([...args, '--store', store, '--tenant', 't1']);
  if (code !== 0) throw new Error(`caliper ${args.join(' ')} exited ${code}`);
  return printed;
}

beforeAll(async () => {
  dir = tempDir('caliper-secret-');
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const folders = await writeCallListDemo(dir);
  for (const side of ['a', 'b'] as const) {
    const store = path.join(dir, side, 'caliper.db');
    fs.mkdirSync(path.dirname(store));
    await cli(store, ['ingest', ...folders]);
    for (const [name, args] of Object.entries(COMMANDS)) outputs[side][name] = await cli(store, args);
  }
}, 300_000);

afterAll(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the figures do not depend on the tenant secret', () => {
  it('has two stores whose person keys differ', async () => {
    const keys = await Promise.all(
      (['a', 'b'] as const).map(async (side) => {
        const s = SqliteStore.open(path.join(dir, side, 'caliper.db'));
        try {
          return s.db
            .prepare<[], { person_key: string }>(
              "SELECT person_key FROM patients WHERE patient_id = 'L001-P000004'",
            )
            .get()!.person_key;
        } finally {
          await s.close();
        }
      }),
    );
    expect(keys[0]).not.toBe(keys[1]);
  });

  it.each(Object.keys(COMMANDS))('gives the same %s to the last digit', (name) => {
    expect(outputs.a[name]!.length).toBeGreaterThan(1000);
    expect(outputs.b[name]).toBe(outputs.a[name]);
  });
});
