import { type CanonicalRow, cell } from './canonicalRows';
import { cents, csvText, usDollars, type VendorFile } from './exportText';
import type { LocationData } from './locationData';

/*
 * The location's Square dashboard Item Details CSV (tests/fixtures/vendors/square/items.csv):
 * the same sale lines the EMR invoices, as the card terminal saw them, money as `$1,234.50`,
 * discounts as negative amounts, refunds as negative rows. The EMR stays the revenue source;
 * the ingest reconciles the two month by month, and since both render the same lines the
 * difference is zero.
 */

const HEADER = [
  'Date',
  'Time',
  'Time Zone',
  'Category',
  'Item',
  'Qty',
  'Price Point Name',
  'SKU',
  'Modifiers Applied',
  'Gross Sales',
  'Discounts',
  'Net Sales',
  'Tax',
  'Transaction ID',
  'Payment ID',
  'Device Name',
  'Notes',
  'Details',
  'Event Type',
  'Location',
  'Dining Option',
  'Customer ID',
  'Customer Name',
  'Customer Reference ID',
  'Unit',
  'Count',
  'Itemization Type',
];

const TIME_ZONES: Record<string, string> = {
  'America/New_York': 'Eastern Time (US & Canada)',
  'America/Chicago': 'Central Time (US & Canada)',
  'America/Denver': 'Mountain Time (US & Canada)',
  'America/Phoenix': 'Arizona',
  'America/Los_Angeles': 'Pacific Time (US & Canada)',
};

const CATEGORIES: Record<string, string> = {
  neurotoxin: 'Injectables',
  filler: 'Injectables',
  laser: 'Laser',
  energy_device: 'Skin Tightening',
  body_contouring: 'Body',
  skin_treatment: 'Skin Care',
  facial: 'Facials',
  consultation: 'Consultations',
  other_service: 'Wellness',
};

/** What the item is called at the register, so Square's item rules give it a revenue kind. */
function item(sale: CanonicalRow, services: ReadonlyMap<string, CanonicalRow>): [string, string, string] {
  const service = services.get(cell(sale, 'service_code'));
  switch (cell(sale, 'kind')) {
    case 'gift_card':
      return ['', 'eGift Card', 'Gift Card'];
    case 'membership_fee':
      return ['Memberships', 'Membership dues', 'Item'];
    case 'retail':
      return ['Retail', 'Retail product', 'Item'];
    case 'other':
      return ['', 'Fee', 'Item'];
    case 'package':
      return [
        CATEGORIES[cell(service ?? {}, 'category')] ?? '',
        `${cell(service ?? {}, 'service_name')} package`,
        'Service',
      ];
    default:
      return [
        CATEGORIES[cell(service ?? {}, 'category')] ?? '',
        cell(service ?? {}, 'service_name') || 'Service',
        'Service',
      ];
  }
}

export function renderSquareItems(location: LocationData, sales: readonly CanonicalRow[]): VendorFile {
  const services = new Map(location.rows['services.csv'].map((s) => [cell(s, 'service_code'), s]));
  const timeZone = TIME_ZONES[cell(location.rows['locations.csv'][0] ?? {}, 'timezone')] ?? '';
  const rows = sales.map((s) => {
    const gross = cents(cell(s, 'gross'));
    const discount = cents(cell(s, 'discount'));
    const [category, name, type] = item(s, services);
    const id = cell(s, 'line_id').replace(/[^A-Za-z0-9]/g, '');
    return [
      cell(s, 'sold_on'),
      '12:00:00',
      timeZone,
      category,
      name,
      '1',
      'Regular',
      '',
      '',
      usDollars(gross),
      usDollars(discount === 0 ? 0 : -discount),
      usDollars(gross - discount),
      usDollars(cents(cell(s, 'tax'))),
      `T${id}`,
      `P${id}`,
      'Front Desk iPad',
      '',
      '',
      gross < 0 ? 'Refund' : 'Payment',
      location.name,
      '',
      // The register's customers are not the EMR's clients: a Customer ID would add a second,
      // contactless patient (square:…) for every client, while the lines themselves are only
      // reconciled, never counted.
      '',
      '',
      '',
      '',
      '1',
      type,
    ];
  });
  return { path: `${location.folder}/square_items.csv`, text: csvText(HEADER, rows) };
}
