import { DETECTION_THRESHOLD } from './csvProfile';
import { PROFILES } from './registry';
import { normalizeHeaderName } from './vendorCsv';
import type { DetectionSample, VendorProfile } from './vendorProfile';

/**
 * Which vendor report a file is: every profile scores the file's headers (CSV) or shape
 * (JSON) and the best score above the threshold wins. A file nothing recognizes is named with
 * the closest profiles, so the user can force one (`--profile`) or map it (`caliper map`).
 */

export type Detection =
  | { kind: 'recognized'; profile: VendorProfile; score: number; forced: boolean }
  | { kind: 'unrecognized'; closest: { profile: VendorProfile; overlap: number }[]; message: string };

/** Share of a CSV profile's signature headers present in the file (0..1). */
export function headerOverlap(profile: VendorProfile, headers: readonly string[]): number {
  const signature = profile.signature ?? [];
  if (signature.length === 0) return 0;
  const present = new Set(headers.map(normalizeHeaderName));
  return signature.filter((h) => present.has(h)).length / signature.length;
}

export function detectProfile(
  sample: DetectionSample,
  options: { profileId?: string; profiles?: readonly VendorProfile[] } = {},
): Detection {
  const profiles = options.profiles ?? PROFILES;
  if (options.profileId !== undefined) {
    const forced = profiles.find((p) => p.id === options.profileId);
    if (forced) return { kind: 'recognized', profile: forced, score: forced.detect(sample), forced: true };
    return {
      kind: 'unrecognized',
      closest: [],
      message: `there is no profile ${JSON.stringify(options.profileId)} (profiles: ${profiles.map((p) => p.id).join(', ')})`,
    };
  }
  let best: { profile: VendorProfile; score: number } | null = null;
  for (const profile of profiles) {
    if (profile.format !== sample.format) continue;
    const score = profile.detect(sample);
    if (score >= DETECTION_THRESHOLD && (best === null || score > best.score)) best = { profile, score };
  }
  if (best) return { kind: 'recognized', ...best, forced: false };

  const closest = profiles
    .filter((p) => p.format === sample.format)
    .map((profile) => ({
      profile,
      overlap: sample.format === 'csv' ? headerOverlap(profile, sample.headers) : profile.detect(sample),
    }))
    .sort((a, b) => b.overlap - a.overlap)
    .slice(0, 3);
  const names = closest
    .map((c) => `${c.profile.id} (${Math.round(c.overlap * 100)}% of its columns)`)
    .join(', ');
  return {
    kind: 'unrecognized',
    closest,
    message:
      'not recognized as any known vendor report' +
      (names === '' ? '' : `; closest profiles: ${names}`) +
      `. Force one with --profile ID, or describe its columns with \`caliper map ${sample.fileName}\` and ingest it with --mapping`,
  };
}
