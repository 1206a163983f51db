import type { VendorProfile } from '../vendorProfile';
import { adpPayStatements } from './adp';
import { googleAdsSpend, metaInsightsSpend } from './ads';
import { boulevardAppointments, boulevardMemberships } from './boulevard';
import { gustoPayrolls } from './gusto';
import { mindbodyAppointments, mindbodyClientContracts, mindbodySales, mindbodyTimecards } from './mindbody';
import { squareOrders, squareRefunds } from './square';
import { squarePayments } from './squarePayments';
import { stripeBalanceTransactions, stripeCharges, stripeRefunds, stripeSubscriptions } from './stripe';

export { parseJsonText } from './jsonProfile';

/** Every JSON (API export) vendor profile, for the registry's detection and `--profile`. */
export const JSON_PROFILES: VendorProfile[] = [
  mindbodyAppointments,
  mindbodySales,
  mindbodyClientContracts,
  mindbodyTimecards,
  boulevardAppointments,
  boulevardMemberships,
  squareOrders,
  squareRefunds,
  squarePayments,
  stripeCharges,
  stripeRefunds,
  stripeBalanceTransactions,
  stripeSubscriptions,
  gustoPayrolls,
  adpPayStatements,
  googleAdsSpend,
  metaInsightsSpend,
];
