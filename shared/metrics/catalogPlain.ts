/*
 * Each metric in plain words, for people: what the number tells an operating partner, in one
 * sentence of at most 30 words, with no ids or formulas. It sits beside the metric's precise
 * rule (`definition` in ./families), which stays the one the numbers follow; the formula
 * builder and the catalog API show both.
 */
import { METRICS } from './catalog';

const PLAIN: Readonly<Record<string, string>> = {
  // Revenue
  net_revenue:
    'Money the business actually earned from services, packages, retail and membership fees, after discounts and refunds; tax, tips and gift cards are left out.',
  service_revenue: 'Money earned from treatments and treatment packages, after discounts and refunds.',
  retail_revenue:
    'Money earned from skincare and other products sold over the counter, after discounts and refunds.',
  membership_revenue: 'Membership fees collected, after discounts and refunds.',
  visits:
    'How many patient trips were completed: one patient at one location on one day counts once, however many services they had.',
  avg_ticket: 'What a completed visit brings in on average: net revenue divided by visits.',
  revenue_per_available_hour:
    'How much revenue each hour of provider time on the schedule produced; shows how well paid hours are turned into sales.',
  'treatment_mix.neurotoxin': 'Share of treatment revenue that comes from neurotoxins such as Botox.',
  'treatment_mix.filler': 'Share of treatment revenue that comes from dermal fillers.',
  'treatment_mix.laser': 'Share of treatment revenue that comes from laser treatments.',
  'treatment_mix.energy_device':
    'Share of treatment revenue that comes from energy-device treatments such as radiofrequency or ultrasound.',
  'treatment_mix.body_contouring': 'Share of treatment revenue that comes from body contouring.',
  'treatment_mix.skin_treatment':
    'Share of treatment revenue that comes from skin treatments such as peels and microneedling.',
  'treatment_mix.facial': 'Share of treatment revenue that comes from facials.',
  'treatment_mix.consultation': 'Share of treatment revenue that comes from paid consultations.',
  'treatment_mix.other_service':
    'Share of treatment revenue from services outside the named treatment categories.',

  // Same-store growth
  same_store_revenue_growth:
    'Revenue growth against the same period a year earlier, counting only locations open and trading in both periods, so openings and closures do not flatter it.',
  same_store_visits_growth:
    'Growth in completed visits against the same period a year earlier, counting only locations open and trading in both periods.',

  // Providers
  provider_production:
    'Treatment revenue a provider brought in, after discounts and refunds; at a location, the total of its providers.',
  provider_compensation:
    'What providers cost in pay: wages, commission, bonus, employer taxes and benefits, spread over the days each pay period covers.',
  comp_to_production_ratio:
    'Provider pay as a share of the revenue they produce; 35 to 50 percent is healthy, above 50 overpays, below 30 risks losing them.',
  provider_contribution: 'What providers bring in after their own pay: production minus compensation.',
  provider_revenue_per_hour:
    'Treatment revenue a provider produces for each hour they are scheduled or paid.',
  provider_comp_gap_dollars:
    'Dollars paid above the pay target to providers whose pay runs over half of what they produce; money a pay plan review could recover.',

  // Scheduling
  capacity_utilization:
    'Share of scheduled provider time actually spent treating patients in completed visits.',
  booked_utilization:
    'Share of scheduled provider time that was booked, counting no-shows and late cancellations as well as completed visits.',
  no_show_rate: 'Share of appointments where the patient did not turn up.',
  late_cancel_rate: 'Share of appointments the patient cancelled too late to rebook the slot.',
  utilization_heatmap:
    'How busy providers are by weekday and hour of the day, to show which slots sit idle; a grid, not a single number.',
  no_show_gap_dollars:
    'Revenue lost because more patients failed to show than the target allows, valued at an average visit.',
  capacity_gap_dollars:
    'Revenue left on the table because scheduled provider time sat idle below the utilization target, valued at what a treatment minute earns.',

  // Patients
  new_patients:
    'Patients who visited the portfolio for the first time, credited to the location of that first visit.',
  rebooking_rate:
    'Share of treatment visits after which the patient booked their next appointment within a week.',
  'return_rate.neurotoxin':
    'Share of neurotoxin patients who came back within 120 days, about when a touch-up is due.',
  'return_rate.filler': 'Share of filler patients who came back within a year.',
  'return_rate.laser': 'Share of laser patients who came back within 90 days.',
  'return_rate.energy_device': 'Share of energy-device patients who came back within 90 days.',
  'return_rate.body_contouring': 'Share of body contouring patients who came back within 90 days.',
  'return_rate.skin_treatment': 'Share of skin treatment patients who came back within 90 days.',
  'return_rate.facial': 'Share of facial patients who came back within 60 days.',
  'return_rate.other_service': 'Share of patients of other services who came back within 180 days.',
  patient_retention_12m: 'Share of last year’s patients who visited again this year.',
  vip_revenue_share:
    'Share of the last twelve months’ revenue that came from the top tenth of patients; high means dependence on a few.',
  active_patients:
    'Distinct patients seen in the last twelve months; a patient seen at two locations counts once for the portfolio.',
  rebooking_gap_dollars: 'Treatment revenue lost because fewer patients rebooked than the target rate.',
  retention_gap_dollars:
    'Revenue lost because fewer of last year’s patients came back than the retention target.',

  // Membership
  active_members: 'How many memberships are running on the last day of the period.',
  mrr: 'Monthly membership fees contracted by the members active at the end of the period.',
  membership_churn_rate:
    'Share of the memberships running at the start of the period that were cancelled during it.',
  arpm: 'What a member spends in a month on average, membership fee and everything else they buy included.',
  membership_conversion_rate:
    'Share of patients visiting without a membership who went on to start one in the period.',

  // Acquisition
  leads: 'How many enquiries from prospective patients came in, from every marketing channel.',
  lead_to_booking_rate: 'Share of leads that booked an appointment within 30 days.',
  lead_to_visit_rate: 'Share of leads that turned into a first visit within 90 days.',
  new_patient_second_visit_rate: 'Share of new patients who came back for a second visit within six months.',
  'cac.google_ads': 'Google Ads spend for each new patient it brought in.',
  'cac.meta': 'Facebook and Instagram ad spend for each new patient it brought in.',
  'cac.tiktok': 'TikTok ad spend for each new patient it brought in.',
  'cac.yelp': 'Yelp spend for each new patient it brought in.',
  'cac.referral_program': 'Referral program spend for each new patient it brought in.',
  ltv_12m: 'What a new patient spends on average in their first twelve months.',
};

/**
 * A metric's plain sentence. A tenant's own marketing channel (`cac.<channel>`, built on
 * demand by the catalog) gets the generic one; any other id has none.
 */
export function plainDefinition(id: string): string | undefined {
  const known = PLAIN[id];
  if (known !== undefined) return known;
  const channel = /^cac\.([a-z0-9_]+)$/.exec(id)?.[1];
  return channel === undefined
    ? undefined
    : `Spend on the ${channel.replace(/_/g, ' ')} channel for each new patient it brought in.`;
}

/** The ids of the catalog without a plain sentence, and sentences of no catalog metric: both empty. */
export function plainDefinitionGaps(): { missing: string[]; unknown: string[] } {
  const ids = new Set(METRICS.map((m) => m.id));
  return {
    missing: METRICS.filter((m) => PLAIN[m.id] === undefined).map((m) => m.id),
    unknown: Object.keys(PLAIN).filter((id) => !ids.has(id)),
  };
}
