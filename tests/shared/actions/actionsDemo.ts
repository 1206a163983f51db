import fs from 'node:fs';
import path from 'node:path';

import { runDemo } from '../../../cli/commands/demoCommand';
import { isNumberNeedle, type Needle, needlesOf, PRIVACY, standsAlone } from '../../support/fixtureNeedles';

/**
 * The data the actions' CLI and API tests run on: the demo portfolio as its systems export it
 * (2 locations, one year to 2025-12, seed 5: Zenoti and Mindbody exports whose patients carry
 * names, emails and phones) and the privacy fixture whose patients, sales and leads carry names,
 * contacts and notes in extra columns. Ingested, every rule but the no-show spike fires on it.
 */
export const ACTIONS_DEMO = { locations: 2, years: 1, seed: 5, end: '2025-12', formats: 'vendor' } as const;

/** The privacy fixture with personal columns (its patients are at location LP). */
export const PERSONAL_COLUMNS = path.join(PRIVACY, 'personal_columns');

/** Writes the vendor demo under `dir` and answers its folder. */
export async function writeActionsDemo(dir: string): Promise<string> {
  const out = path.join(dir, 'demo');
  await runDemo({ ...ACTIONS_DEMO, out, json: false }, () => undefined);
  return out;
}

/** Every email, phone, patient name and note in the files an ingest of `folders` reads. */
export function needlesUnder(...folders: string[]): Needle[] {
  return folders.flatMap((folder) =>
    fs
      .readdirSync(folder, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && /\.(csv|json)$/i.test(e.name))
      .flatMap((e) => needlesOf(path.join(e.parentPath, e.name))),
  );
}

/**
 * The needles found in `places`, as `needlesIn` (tests/support/fixtureNeedles.ts) reports them,
 * in one pass over each text (Aho–Corasick): tens of thousands of needles against megabytes of
 * output would take `needlesIn` minutes, one `includes` per needle and place.
 */
export function needlesFound(needles: readonly Needle[], places: Record<string, string>): string[] {
  const next: Map<string, number>[] = [new Map()];
  const fail: number[] = [0];
  const ends: Needle[][] = [[]];
  const byText = new Map<string, Needle[]>();
  for (const n of needles) byText.set(n.text.toLowerCase(), [...(byText.get(n.text.toLowerCase()) ?? []), n]);
  for (const [text, same] of byText) {
    let node = 0;
    for (const char of text) {
      let child = next[node]!.get(char);
      if (child === undefined) {
        child = next.length;
        next.push(new Map());
        fail.push(0);
        ends.push([]);
        next[node]!.set(char, child);
      }
      node = child;
    }
    ends[node]!.push(...same);
  }
  // Failure links breadth first; each node also ends every needle its failure node ends.
  const queue = [...next[0]!.values()];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    for (const [char, child] of next[node]!) {
      let f = fail[node]!;
      while (f !== 0 && !next[f]!.has(char)) f = fail[f]!;
      const target = next[f]!.get(char);
      const link = target !== undefined && target !== child ? target : 0;
      fail[child] = link;
      ends[child]!.push(...ends[link]!);
      queue.push(child);
    }
  }
  const leaks = new Set<string>();
  for (const [where, text] of Object.entries(places)) {
    const lowered = text.toLowerCase();
    let node = 0;
    let end = 0;
    for (const char of lowered) {
      end += char.length;
      while (node !== 0 && !next[node]!.has(char)) node = fail[node]!;
      node = next[node]!.get(char) ?? 0;
      for (const n of ends[node]!) {
        if (isNumberNeedle(n.text) && !standsAlone(lowered, end - n.text.length, end)) continue;
        leaks.add(`${n.kind} ${JSON.stringify(n.text)} (${n.file}) in ${where}`);
      }
    }
  }
  return [...leaks];
}
