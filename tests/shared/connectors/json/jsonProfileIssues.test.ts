import { JSON_PROFILES, parseJsonText } from '../../../../shared/connectors/json';
import { googleAdsSpend, metaInsightsSpend } from '../../../../shared/connectors/json/ads';
import { boulevardAppointments } from '../../../../shared/connectors/json/boulevard';
import { mindbodyAppointments, mindbodySales } from '../../../../shared/connectors/json/mindbody';
import { stripeCharges } from '../../../../shared/connectors/json/stripe';
import type { ConversionContext, VendorProfile } from '../../../../shared/connectors/vendorProfile';
import { readFixture } from './fixtures';

const convert = (profile: VendorProfile, json: unknown, context: Partial<ConversionContext> = {}) =>
  profile.convert({ format: 'json', json }, { fileName: 'export.json', ...context });

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('a wrong-typed or truncated JSON document', () => {
  it('reports a wrong-typed field with the file, the record index and the JSON path, and converts the other records', () => {
    const { json } = readFixture('mindbody/sales');
    const broken = clone(json) as { Sales: { PurchasedItems: { UnitPrice: unknown }[] }[] };
    broken.Sales[1]!.PurchasedItems[0]!.UnitPrice = '89.99';

    const result = convert(mindbodySales, broken);

    expect(result.issues).toEqual([
      {
        severity: 'error',
        row: 2,
        column: 'PurchasedItems[0].UnitPrice',
        code: 'invalid_record',
        message: expect.stringMatching(
          /^export\.json: record 2 \(Sales\[1\]\) PurchasedItems\[0\]\.UnitPrice: /,
        ),
      },
    ]);
    expect(result.records.filter((r) => r.entity === 'sales').map((r) => r.values.line_id)).toEqual([
      'mindbody:88001/5501',
      'mindbody:88001/5502',
      'mindbody:88003/5520',
    ]);
  });

  it('reports a record that is not an object at all', () => {
    const { json } = readFixture('mindbody/appointments');
    const broken = clone(json) as { Appointments: unknown[] };
    broken.Appointments[0] = null;

    const result = convert(mindbodyAppointments, broken);

    expect(result.issues[0]).toMatchObject({
      severity: 'error',
      row: 1,
      column: null,
      code: 'invalid_record',
    });
    expect(result.issues[0]?.message).toContain('record 1 (Appointments[0])');
    expect(result.records).toHaveLength(4);
  });

  it('reports a document cut before its record list as a file-level error', () => {
    const truncated = { PaginationResponse: { RequestedLimit: 100, RequestedOffset: 0, PageSize: 6 } };

    expect(convert(mindbodyAppointments, truncated)).toEqual({
      records: [],
      issues: [
        {
          severity: 'error',
          row: null,
          column: null,
          code: 'missing_records',
          message:
            'export.json: no "Appointments" array found (the document is truncated or is not a Mindbody appointments export)',
        },
      ],
    });
  });

  it('turns a truncated download into an invalid_json issue instead of an exception', () => {
    const result = parseJsonText(
      '\uFEFF{"Appointments": [{"Id": 30101, "Status": "Compl',
      'appointments.json',
    );

    expect(result).toEqual({
      ok: false,
      issue: {
        severity: 'error',
        row: null,
        column: null,
        code: 'invalid_json',
        message: expect.stringContaining('appointments.json: not valid JSON'),
      },
    });
    expect(parseJsonText('\uFEFF{"a": 1}', 'a.json')).toEqual({ ok: true, json: { a: 1 } });
  });

  it.each(JSON_PROFILES.map((p) => [p.id, p] as const))(
    '%s never throws on documents of the wrong shape',
    (_id, profile) => {
      for (const json of [
        null,
        42,
        'text',
        [],
        {},
        [null],
        [[1]],
        { data: null },
        { data: [7] },
        { results: 'x' },
      ]) {
        const result = convert(profile, json, { locationId: 'loc-1' });
        expect(result.records).toEqual([]);
        for (const issue of result.issues) expect(issue.severity).toBe('error');
      }
    },
  );
});

describe('vendor ids and locations', () => {
  it('namespaces every id with the idPrefix when one is given', () => {
    const { json } = readFixture('mindbody/appointments');
    const [first] = convert(mindbodyAppointments, json, { idPrefix: 'mb-dallas' }).records;

    expect(first?.values).toMatchObject({
      appointment_id: 'mb-dallas:30101',
      location_id: 'mb-dallas:1',
      patient_id: 'mb-dallas:100015',
      provider_id: 'mb-dallas:100000011',
      service_code: 'mb-dallas:12',
    });
  });

  it("puts every row at the --location the user gives, over the export's own location ids", () => {
    const { json } = readFixture('mindbody/appointments');

    const result = convert(mindbodyAppointments, json, { locationId: 'dallas-01' });

    expect(new Set(result.records.map((r) => r.values.location_id))).toEqual(new Set(['dallas-01']));
  });

  it('asks for --location once per file when Stripe names no location', () => {
    const { json } = readFixture('stripe/charges');

    const result = convert(stripeCharges, json);

    expect(result.records).toEqual([]);
    // The uncaptured and the failed charge are not revenue whatever the location: counted, not silent.
    expect(result.issues.map((i) => [i.severity, i.row, i.code])).toEqual([
      ['error', null, 'missing_location'],
      ['warning', null, 'not_revenue'],
    ]);
  });

  it('asks for --location once when ad spend has no location of its own', () => {
    const { json } = readFixture('google_ads/campaign_cost_stream');

    const result = convert(googleAdsSpend, json);

    expect(result.records).toEqual([]);
    expect(result.issues.map((i) => [i.row, i.code])).toEqual([[null, 'missing_location']]);
  });

  it('reports a Boulevard appointment without a client instead of inventing one', () => {
    const { json } = readFixture('boulevard/appointments');
    const broken = clone(json) as { data: { appointments: { edges: { node: { clientId: unknown } }[] } } };
    broken.data.appointments.edges[2]!.node.clientId = null;

    const result = convert(boulevardAppointments, broken);

    expect(result.records.filter((r) => r.entity === 'appointments').map((r) => r.sourceRow)).toEqual([
      1, 2, 4, 5,
    ]);
    expect(result.issues.map((i) => [i.row, i.column, i.code])).toEqual([[3, 'clientId', 'missing_value']]);
  });
});

describe('services', () => {
  it('emits a service named by the vendor once per file, categorized from its name', () => {
    const { json } = readFixture('mindbody/sales');
    const twice = clone(json) as { Sales: { PurchasedItems: unknown[] }[] };
    twice.Sales[2]!.PurchasedItems.push(clone(twice.Sales[0]!.PurchasedItems[0]));

    const services = convert(mindbodySales, twice).records.filter((r) => r.entity === 'services');

    expect(services.map((r) => r.values)).toEqual([
      {
        service_code: 'mindbody:12',
        service_name: 'Botox (per unit)',
        category: 'neurotoxin',
        default_duration_min: '',
      },
    ]);
  });

  it('lets the user override the category of a name the rules do not know', () => {
    const { json } = readFixture('mindbody/sales');
    const renamed = clone(json) as { Sales: { PurchasedItems: { Description: string }[] }[] };
    renamed.Sales[0]!.PurchasedItems[0]!.Description = 'Lumière Signature';

    const result = convert(mindbodySales, renamed, {
      serviceCategories: new Map([['lumiere signature', 'laser' as const]]),
    });

    expect(result.records[0]?.values).toMatchObject({ service_name: 'Lumière Signature', category: 'laser' });
  });
});

describe('amounts and dates', () => {
  it('refuses a Stripe charge in a currency without cents', () => {
    const { json } = readFixture('stripe/charges');
    const yen = clone(json) as { data: { currency: string }[] };
    yen.data[0]!.currency = 'jpy';

    const result = convert(stripeCharges, yen, { locationId: 'dallas-02' });

    // Refused as a foreign currency (no rate given) rather than as "not in cents": with a rate
    // it converts (currency.test.ts); without one it is still never stored.
    expect(result.records.map((r) => r.values.line_id)).toEqual(['stripe:ch_3Q1bT0B7WZ01zgkW0cJd7LwQ']);
    expect(result.issues.map((i) => [i.row, i.column, i.code])).toEqual([
      [null, null, 'utc_dates'],
      [null, null, 'not_revenue'],
      [1, 'currency', 'foreign_currency'],
    ]);
    expect(result.issues[2]?.message).toContain('JPY');
  });

  it('keeps a whole calendar month of Meta spend as YYYY-MM and refuses any other range', () => {
    const json = {
      data: [
        { date_start: '2026-09-01', date_stop: '2026-09-30', spend: '1210.33' },
        { date_start: '2026-09-01', date_stop: '2026-09-07', spend: '99.00' },
      ],
    };

    const result = convert(metaInsightsSpend, json, { locationId: 'dallas-02' });

    expect(result.records.map((r) => r.values)).toEqual([
      { location_id: 'dallas-02', channel: 'meta', date: '2026-09', spend: '1210.33' },
    ]);
    expect(result.issues.map((i) => [i.row, i.column, i.code])).toEqual([[2, 'date_stop', 'invalid_record']]);
  });

  it('reads Google Ads snake_case rows and month segments as the API client libraries print them', () => {
    const json = {
      results: [
        { campaign: { id: 1 }, segments: { month: '2026-09-01' }, metrics: { cost_micros: 1_234_565_000 } },
        { campaign: { id: 2 }, segments: { month: '2026-09-01' }, metrics: { cost_micros: 5_000 } },
      ],
    };

    const result = convert(googleAdsSpend, json, { locationId: 'dallas-02' });

    expect(result.records.map((r) => r.values)).toEqual([
      { location_id: 'dallas-02', channel: 'google_ads', date: '2026-09', spend: '1234.57' },
    ]);
    expect(result.issues).toEqual([]);
  });
});

describe('detection', () => {
  it('never claims a CSV file', () => {
    const sample = { format: 'csv' as const, fileName: 'a.csv', headers: ['Id', 'Status'], firstLines: [] };
    expect(JSON_PROFILES.map((p) => p.detect(sample))).toEqual(JSON_PROFILES.map(() => 0));
  });

  it('scores an unrelated JSON document zero for every profile', () => {
    const sample = {
      format: 'json' as const,
      fileName: 'package.json',
      json: { name: 'x', dependencies: {} },
    };
    expect(JSON_PROFILES.filter((p) => p.detect(sample) > 0).map((p) => p.id)).toEqual([]);
  });
});
