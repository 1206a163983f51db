/**
 * Marketing channel names as ids. Spend files, lead exports and EMR referral sources spell
 * channels differently ("Google Ads", "google-ads", "GOOGLE_ADS"), so every channel goes through
 * one normalization: lower case, every run of other characters than a–z and 0–9 becomes "_".
 * A few spellings that can only mean the same paid platform are folded into one id; bare
 * "google", "facebook" or "instagram" are not, because as a referral source they usually mean
 * organic search or social, which a paid channel's spend must not be divided by.
 */
const SAME_CHANNEL: ReadonlyMap<string, string> = new Map([
  ['adwords', 'google_ads'],
  ['google_adwords', 'google_ads'],
  ['facebook_ads', 'meta'],
  ['instagram_ads', 'meta'],
  ['meta_ads', 'meta'],
  ['tik_tok', 'tiktok'],
  ['tiktok_ads', 'tiktok'],
]);

/** The channel id of a channel or referral-source text, or null when nothing is left of it. */
export function channelOf(text: string | null): string | null {
  if (text === null) return null;
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (name === '') return null;
  return SAME_CHANNEL.get(name) ?? name;
}

/** How the mapping reads in a metric definition. */
export const CHANNEL_MAPPING_TEXT =
  'channel names (spend, leads, referral sources) are compared as lower-case ids with every run of other characters than a–z, 0–9 ' +
  'turned into "_" ("Google Ads" = google_ads); adwords and google_adwords are google_ads, facebook_ads, instagram_ads and ' +
  'meta_ads are meta, tik_tok and tiktok_ads are tiktok; any other referral source is its own channel (bare "google" or ' +
  '"facebook" is not a paid channel)';
