/**
 * Where demo locations are: US metros with their region, IANA time zone, area codes and
 * combined sales tax (for retail), and the brands a roll-up platform operates under.
 * Texas is in the Central time zone and Phoenix does not observe daylight saving time, so
 * the zone is per city, not per region.
 */

export type Region = 'Southeast' | 'Northeast' | 'Midwest' | 'Southwest' | 'West';

export interface City {
  name: string;
  region: Region;
  timezone: string;
  areaCodes: readonly string[];
  /** Combined state and local sales tax on retail, as a fraction. */
  salesTax: number;
  /** Local price level relative to the catalog's list prices. */
  priceLevel: number;
}

export const CITIES: readonly City[] = [
  { name: 'Atlanta', region: 'Southeast', timezone: 'America/New_York', areaCodes: ['404', '678', '470'], salesTax: 0.089, priceLevel: 1.0 },
  { name: 'Miami', region: 'Southeast', timezone: 'America/New_York', areaCodes: ['305', '786'], salesTax: 0.07, priceLevel: 1.08 },
  { name: 'Tampa', region: 'Southeast', timezone: 'America/New_York', areaCodes: ['813', '656'], salesTax: 0.075, priceLevel: 0.97 },
  { name: 'Orlando', region: 'Southeast', timezone: 'America/New_York', areaCodes: ['407', '321'], salesTax: 0.065, priceLevel: 0.96 },
  { name: 'Charlotte', region: 'Southeast', timezone: 'America/New_York', areaCodes: ['704', '980'], salesTax: 0.0725, priceLevel: 0.97 },
  { name: 'Raleigh', region: 'Southeast', timezone: 'America/New_York', areaCodes: ['919', '984'], salesTax: 0.0725, priceLevel: 0.96 },
  { name: 'Nashville', region: 'Southeast', timezone: 'America/Chicago', areaCodes: ['615', '629'], salesTax: 0.0925, priceLevel: 1.0 },
  { name: 'Charleston', region: 'Southeast', timezone: 'America/New_York', areaCodes: ['843', '854'], salesTax: 0.09, priceLevel: 0.98 },
  { name: 'Boston', region: 'Northeast', timezone: 'America/New_York', areaCodes: ['617', '857'], salesTax: 0.0625, priceLevel: 1.12 },
  { name: 'Manhattan', region: 'Northeast', timezone: 'America/New_York', areaCodes: ['212', '646', '917'], salesTax: 0.08875, priceLevel: 1.2 },
  { name: 'Brooklyn', region: 'Northeast', timezone: 'America/New_York', areaCodes: ['718', '347', '929'], salesTax: 0.08875, priceLevel: 1.1 },
  { name: 'Philadelphia', region: 'Northeast', timezone: 'America/New_York', areaCodes: ['215', '267', '445'], salesTax: 0.08, priceLevel: 1.02 },
  { name: 'Hoboken', region: 'Northeast', timezone: 'America/New_York', areaCodes: ['201', '551'], salesTax: 0.06625, priceLevel: 1.1 },
  { name: 'Stamford', region: 'Northeast', timezone: 'America/New_York', areaCodes: ['203', '475'], salesTax: 0.0635, priceLevel: 1.1 },
  { name: 'Pittsburgh', region: 'Northeast', timezone: 'America/New_York', areaCodes: ['412', '878'], salesTax: 0.07, priceLevel: 0.95 },
  { name: 'Chicago', region: 'Midwest', timezone: 'America/Chicago', areaCodes: ['312', '773', '872'], salesTax: 0.1025, priceLevel: 1.05 },
  { name: 'Minneapolis', region: 'Midwest', timezone: 'America/Chicago', areaCodes: ['612', '952'], salesTax: 0.08025, priceLevel: 0.98 },
  { name: 'Columbus', region: 'Midwest', timezone: 'America/New_York', areaCodes: ['614', '380'], salesTax: 0.075, priceLevel: 0.93 },
  { name: 'Indianapolis', region: 'Midwest', timezone: 'America/Indiana/Indianapolis', areaCodes: ['317', '463'], salesTax: 0.07, priceLevel: 0.92 },
  { name: 'Detroit', region: 'Midwest', timezone: 'America/Detroit', areaCodes: ['313', '248'], salesTax: 0.06, priceLevel: 0.93 },
  { name: 'Kansas City', region: 'Midwest', timezone: 'America/Chicago', areaCodes: ['816', '913'], salesTax: 0.0885, priceLevel: 0.92 },
  { name: 'St. Louis', region: 'Midwest', timezone: 'America/Chicago', areaCodes: ['314', '636'], salesTax: 0.09679, priceLevel: 0.92 },
  { name: 'Milwaukee', region: 'Midwest', timezone: 'America/Chicago', areaCodes: ['414', '262'], salesTax: 0.079, priceLevel: 0.92 },
  { name: 'Austin', region: 'Southwest', timezone: 'America/Chicago', areaCodes: ['512', '737'], salesTax: 0.0825, priceLevel: 1.02 },
  { name: 'Dallas', region: 'Southwest', timezone: 'America/Chicago', areaCodes: ['214', '469', '972'], salesTax: 0.0825, priceLevel: 1.02 },
  { name: 'Houston', region: 'Southwest', timezone: 'America/Chicago', areaCodes: ['713', '281', '832'], salesTax: 0.0825, priceLevel: 1.0 },
  { name: 'San Antonio', region: 'Southwest', timezone: 'America/Chicago', areaCodes: ['210', '726'], salesTax: 0.0825, priceLevel: 0.94 },
  { name: 'Phoenix', region: 'Southwest', timezone: 'America/Phoenix', areaCodes: ['602', '623'], salesTax: 0.086, priceLevel: 0.97 },
  { name: 'Scottsdale', region: 'Southwest', timezone: 'America/Phoenix', areaCodes: ['480'], salesTax: 0.0805, priceLevel: 1.08 },
  { name: 'Albuquerque', region: 'Southwest', timezone: 'America/Denver', areaCodes: ['505'], salesTax: 0.07625, priceLevel: 0.9 },
  { name: 'Los Angeles', region: 'West', timezone: 'America/Los_Angeles', areaCodes: ['310', '213', '323', '424'], salesTax: 0.095, priceLevel: 1.15 },
  { name: 'San Diego', region: 'West', timezone: 'America/Los_Angeles', areaCodes: ['619', '858'], salesTax: 0.0775, priceLevel: 1.08 },
  { name: 'San Francisco', region: 'West', timezone: 'America/Los_Angeles', areaCodes: ['415', '628'], salesTax: 0.08625, priceLevel: 1.18 },
  { name: 'Seattle', region: 'West', timezone: 'America/Los_Angeles', areaCodes: ['206', '425'], salesTax: 0.1035, priceLevel: 1.1 },
  { name: 'Portland', region: 'West', timezone: 'America/Los_Angeles', areaCodes: ['503', '971'], salesTax: 0, priceLevel: 1.02 },
  { name: 'Denver', region: 'West', timezone: 'America/Denver', areaCodes: ['303', '720'], salesTax: 0.0881, priceLevel: 1.03 },
  { name: 'Salt Lake City', region: 'West', timezone: 'America/Denver', areaCodes: ['801', '385'], salesTax: 0.0775, priceLevel: 0.96 },
  { name: 'Boise', region: 'West', timezone: 'America/Boise', areaCodes: ['208', '986'], salesTax: 0.06, priceLevel: 0.93 },
  { name: 'Las Vegas', region: 'West', timezone: 'America/Los_Angeles', areaCodes: ['702', '725'], salesTax: 0.08375, priceLevel: 1.0 },
];

/** Suffixes that tell apart several locations of one brand in the same metro. */
export const NEIGHBORHOOD_SUFFIXES: readonly string[] = ['', ' North', ' South', ' West', ' East', ' Downtown', ' Uptown'];

/** A platform keeps acquired practices' names under a few brands. */
export const BRANDS: readonly string[] = [
  'Glow Aesthetics',
  'Radiance Med Spa',
  'Luxe Skin Studio',
  'Evolve Aesthetics',
  'Fountain Medspa',
  'Contour Clinic',
];
