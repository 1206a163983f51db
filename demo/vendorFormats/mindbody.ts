import { type CanonicalRow, cell } from './canonicalRows';
import { addMinutes, cents, dollarNumber } from './exportText';
import type { EmrExport, LocationData } from './locationData';
import { clientNumber, staffNumber } from './vendorIds';

/*
 * A location's Mindbody Public API v6 answers (staff appointments, sales, client contracts)
 * in the shape tests/fixtures/vendors/json/mindbody holds: PascalCase records in a
 * `{PaginationResponse, <List>}` envelope, local datetimes without an offset, dollars as
 * numbers, compact as the API answers them. Mindbody names services by session type id and
 * people by numeric ids, which the ingest namespaces (`mindbody:40003`).
 */

const STATUS: Record<string, string> = {
  completed: 'Completed',
  no_show: 'NoShow',
  late_cancelled: 'LateCancelled',
  cancelled: 'Cancelled',
  scheduled: 'Booked',
};

/**
 * `L004-A0016784` → 40016784: the sequence number of a canonical id, in a range of its own per
 * location, because the profile namespaces ids by vendor only (`mindbody:40016784`), so two
 * Mindbody sites' record 16784 would be one record.
 */
function sequence(id: string): number {
  const m = /^L(\d+)-\D*(\d+)$/.exec(id);
  return m ? Number(m[1]) * 10_000_000 + Number(m[2]) : Number(/(\d+)$/.exec(id)?.[1] ?? '0');
}

function envelope(listName: string, items: readonly unknown[], extra: Record<string, unknown> = {}): string {
  const page = {
    RequestedLimit: items.length,
    RequestedOffset: 0,
    PageSize: items.length,
    TotalResults: items.length,
  };
  return `${JSON.stringify({ PaginationResponse: page, ...extra, [listName]: items })}\n`;
}

export function mindbodyProviderId(canonicalProviderId: string): string {
  return `mindbody:${staffNumber(canonicalProviderId)}`;
}

const RETAIL_ITEM_ID = 'P-100';
const PLAN_CONTRACT_BASE = 500;

export function renderMindbody(location: LocationData): EmrExport {
  const { rows } = location;
  // Session type ids: the service's place in services.csv, as a Mindbody site numbers them.
  const sessionTypes = new Map(rows['services.csv'].map((s, i) => [cell(s, 'service_code'), 100 + i]));
  const serviceNames = new Map(
    rows['services.csv'].map((s) => [cell(s, 'service_code'), cell(s, 'service_name')]),
  );
  const plans = [...new Set(rows['memberships.csv'].map((m) => cell(m, 'plan')))].sort();
  const sessionType = (code: string) => sessionTypes.get(code) ?? 0;
  const staff = (id: string) => (id === '' ? null : staffNumber(id));
  const client = (id: string) => (id === '' ? null : clientNumber(id));

  const appointments = rows['appointments.csv'].map((a) => {
    const start = cell(a, 'start_at');
    const duration = Number(cell(a, 'duration_min'));
    return {
      GenderPreference: 'None',
      Duration: duration,
      ProviderId: null,
      Id: sequence(cell(a, 'appointment_id')),
      Status: STATUS[cell(a, 'status')] ?? 'None',
      StartDateTime: start,
      EndDateTime: addMinutes(start, duration),
      Notes: null,
      StaffRequested: false,
      SessionTypeId: sessionType(cell(a, 'service_code')),
      LocationId: 1,
      StaffId: staff(cell(a, 'provider_id')),
      ClientId: clientNumber(cell(a, 'patient_id')),
      FirstAppointment: false,
      Resources: [],
      AddOns: [],
      IsWaitlist: false,
    };
  });

  // The profile tells only services, contracts and the rest (retail) apart: gift card and
  // other lines (fees) would be read as retail, so they stay canonical.
  const [unsaid, sold] = partition(rows['sales.csv'], (s) =>
    ['gift_card', 'other'].includes(cell(s, 'kind')),
  );
  const sales = sold.map((s) => {
    const gross = cents(cell(s, 'gross'));
    const kind = cell(s, 'kind');
    const returned = gross < 0;
    const code = cell(s, 'service_code');
    const isService = kind === 'service' || kind === 'package';
    const discount = Math.abs(cents(cell(s, 'discount')));
    const tax = Math.abs(cents(cell(s, 'tax')));
    const planIndex = kind === 'membership_fee' ? Math.max(0, plans.indexOf(planOfFee(rows, s))) : -1;
    return {
      Id: sequence(cell(s, 'line_id')),
      SaleDateTime: `${cell(s, 'sold_on')}T12:00:00`,
      SalesRepId: staff(cell(s, 'provider_id')),
      ClientId: client(cell(s, 'patient_id')),
      LocationId: 1,
      PurchasedItems: [
        {
          SaleDetailId: 1,
          Id: isService
            ? sessionType(code)
            : kind === 'membership_fee'
              ? `C-${PLAN_CONTRACT_BASE + planIndex}`
              : RETAIL_ITEM_ID,
          IsService: isService,
          Description: isService
            ? (serviceNames.get(code) ?? code)
            : kind === 'membership_fee'
              ? (plans[planIndex] ?? 'Membership')
              : 'Retail product',
          ContractId: kind === 'membership_fee' ? PLAN_CONTRACT_BASE + planIndex : null,
          UnitPrice: dollarNumber(Math.abs(gross)),
          Quantity: 1,
          DiscountAmount: dollarNumber(discount),
          TaxAmount: dollarNumber(tax),
          TotalAmount: dollarNumber(Math.abs(gross) - discount + tax),
          Returned: returned,
        },
      ],
    };
  });

  // A terminated contract has no upcoming autopay charge, so its price is not in the export:
  // those memberships stay canonical.
  const [ended, ongoing] = partition(rows['memberships.csv'], (m) => cell(m, 'cancelled_on') !== '');
  const contracts = ongoing.map((m) => {
    const fee = dollarNumber(cents(cell(m, 'monthly_fee')));
    return {
      AgreementDate: `${cell(m, 'started_on')}T00:00:00`,
      AutopayStatus: 'Active',
      ClientId: clientNumber(cell(m, 'patient_id')),
      ContractName: cell(m, 'plan'),
      Id: sequence(cell(m, 'membership_id')),
      OriginationLocationId: 1,
      StartDate: `${cell(m, 'started_on')}T00:00:00`,
      SiteId: -99,
      UpcomingAutopayEvents: [
        {
          ClientContractId: sequence(cell(m, 'membership_id')),
          ChargeAmount: fee,
          PaymentMethod: 'CreditCard',
        },
      ],
    };
  });

  const ids = {
    patient: (id: string) => `mindbody:${clientNumber(id)}`,
    provider: mindbodyProviderId,
    service: (code: string) => `mindbody:${sessionType(code)}`,
  };
  const mapped = (r: CanonicalRow, columns: Record<string, (v: string) => string>): CanonicalRow =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === '' || !columns[k] ? v : columns[k](v)]));
  return {
    system: 'Mindbody',
    files: [
      { path: `${location.folder}/mindbody_appointments.json`, text: envelope('Appointments', appointments) },
      { path: `${location.folder}/mindbody_sales.json`, text: envelope('Sales', sales) },
      { path: `${location.folder}/mindbody_client_contracts.json`, text: envelope('Contracts', contracts) },
    ],
    exportsSales: true,
    ids,
    providerIdsByName: [],
    // Sales name their services (services rows); clients and staff appear as ids only.
    derives: ['services.csv'],
    canonicalRest: {
      'sales.csv': unsaid.map((s) =>
        mapped(s, {
          patient_id: ids.patient,
          provider_id: ids.provider,
          service_code: ids.service,
          appointment_id: (v) => `mindbody:${sequence(v)}`,
        }),
      ),
      'memberships.csv': ended.map((m) =>
        mapped(m, { patient_id: ids.patient, membership_id: (v) => `mindbody:${sequence(v)}` }),
      ),
    },
  };
}

/** The plan a membership fee pays: the patient's membership at the location on that day. */
function planOfFee(rows: LocationData['rows'], sale: CanonicalRow): string {
  const day = cell(sale, 'sold_on');
  const m = rows['memberships.csv'].find(
    (x) => x.patient_id === sale.patient_id && cell(x, 'started_on') <= day,
  );
  return m ? cell(m, 'plan') : '';
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}
