import { ADP_PROFILES } from './csv/adpPayroll';
import { ADS_PROFILES } from './csv/adsReports';
import { SQUARE_PROFILES } from './csv/square';
import { ZENOTI_PROFILES } from './csv/zenoti';
import { zenotiBusinessKpi } from './csv/zenotiBusinessKpi';
import { JSON_PROFILES } from './json';
import type { VendorProfile } from './vendorProfile';

/** The CSV report profiles of this folder. */
export const CSV_PROFILES: readonly VendorProfile[] = [
  ...ZENOTI_PROFILES,
  // Converts to no canonical rows: its figures cross-check the detailed Zenoti reports (kpiCrossCheck.ts).
  zenotiBusinessKpi,
  ...SQUARE_PROFILES,
  ...ADS_PROFILES,
  ...ADP_PROFILES,
];

/** Every vendor profile detection chooses from. */
export const PROFILES: readonly VendorProfile[] = [...CSV_PROFILES, ...JSON_PROFILES];

export function profileById(id: string): VendorProfile | undefined {
  return PROFILES.find((p) => p.id === id);
}
