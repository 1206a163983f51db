import { boulevardProviderId } from '../../../demo/vendorFormats/boulevard';
import { ingestArguments, renderDirectoryProviders } from '../../../demo/vendorFormats/portfolio';
import {
  assignVendors,
  floaterProviderIds,
  renderLocation,
} from '../../../demo/vendorFormats/renderLocation';
import { stableUuid } from '../../../demo/vendorFormats/vendorIds';
import { TEST_LOCATION } from './testLocation';

describe('a location of the vendor-format demo', () => {
  it('alternates Zenoti and Boulevard, gives Mindbody to the location without booking times', () => {
    const locations = [false, false, false, true, false].map((bookedAtMissing) => ({ bookedAtMissing }));
    expect(assignVendors(locations, [])).toEqual([
      { emr: 'zenoti', payroll: 'gusto' },
      { emr: 'boulevard', payroll: 'adp' },
      { emr: 'zenoti', payroll: 'gusto' },
      { emr: 'mindbody', payroll: 'adp' },
      { emr: 'zenoti', payroll: 'gusto' },
    ]);
    // A floater between Boulevard and Mindbody could not have one provider id: Zenoti instead.
    expect(assignVendors(locations, [{ number: 1, home: 1, away: 3 }])[1]).toEqual({
      emr: 'zenoti',
      payroll: 'adp',
    });
  });

  it('gives a floater at a Mindbody or Boulevard location that id everywhere', () => {
    const assignments = assignVendors(
      [false, true, false, false].map((bookedAtMissing) => ({ bookedAtMissing })),
      [],
    );
    expect(assignments.map((a) => a.emr)).toEqual(['zenoti', 'mindbody', 'zenoti', 'boulevard']);
    expect(
      floaterProviderIds(
        [
          { number: 1, home: 0, away: 1 },
          { number: 2, home: 0, away: 2 },
          { number: 3, home: 2, away: 3 },
        ],
        assignments,
      ),
    ).toEqual(
      new Map([
        ['PF001', 'mindbody:900001'],
        ['PF002', 'PF002'],
        ['PF003', boulevardProviderId('PF003')],
      ]),
    );
  });

  it('Zenoti: exports, POS, ads and options beside the canonical facts; derived dimensions in directory/', () => {
    const portfolio = { floaters: new Map([['PF001', 'PF001']]), payrollSystems: new Map() };
    const rendered = renderLocation(TEST_LOCATION, { emr: 'zenoti', payroll: 'gusto' }, portfolio);
    expect(rendered.roles).toEqual({
      emr: ['L009/zenoti_appointments.csv', 'L009/zenoti_employee_sales.csv', 'L009/zenoti_memberships.csv'],
      pos: ['L009/square_items.csv'],
      marketing: ['L009/google_ads_campaign_report.csv', 'L009/meta_ads_manager.csv'],
      canonical: ['L009/locations.csv', 'L009/shifts.csv', 'L009/leads.csv', 'L009/marketing_spend.csv'],
      directory: [
        'L009/directory/patients.csv',
        'L009/directory/services.csv',
        'L009/directory/providers.csv',
      ],
      options: ['L009/service_categories.csv', 'L009/provider_ids.csv'],
      // The floater is paid through ADP, whose lines say where she worked.
      payroll: ['payroll/L009_adp_payroll.csv', 'payroll/L009_gusto_payrolls.json'],
    });
    const text = (name: string) => rendered.files.find((f) => f.path === `L009/${name}`)!.text;
    expect(text('provider_ids.csv')).toBe(
      'provider_name,provider_id\n"Doe, Jane RN",L009-PR01\n"Rita Roe, NP",PF001\n',
    );
    expect(text('marketing_spend.csv')).toBe(
      'location_id,channel,date,spend\nL009,tiktok,2025-01-01,12.00\n',
    );
    expect(text('locations.csv')).toContain(',Zenoti,5\n');
    expect(text('directory/patients.csv').split('\n')[1]).toBe(
      'zenoti:9000001,L009,ann@example.org,512-555-0101,google_ads,2024-06-01',
    );
    expect(portfolio.payrollSystems).toEqual(
      new Map([
        ['E1001', 'gusto'],
        ['E1451', 'adp'],
      ]),
    );

    const { files: _files, ...summary } = rendered;
    const [providers] = renderDirectoryProviders([summary], portfolio.payrollSystems);
    expect(providers).toEqual({
      path: 'L009/directory/providers.csv',
      text:
        'provider_id,location_id,display_name,role,payroll_employee_id,started_on,ended_on\n' +
        `L009-PR01,L009,"Doe, Jane RN",RN,gusto:${stableUuid('employee:E1001')},2020-01-01,\n` +
        'PF001,L009,"Rita Roe, NP",NP,001451,2021-03-01,\n',
    });
    // The folder loads as it is: no --location, --providers or --services.
    expect(ingestArguments()).toEqual([['ingest', '.']]);
  });

  it('Mindbody: patients and providers beside the exports (they carry ids only), Mindbody ids in shifts', () => {
    const portfolio = { floaters: new Map([['PF001', 'mindbody:900001']]), payrollSystems: new Map() };
    const rendered = renderLocation(TEST_LOCATION, { emr: 'mindbody', payroll: 'adp' }, portfolio);
    expect(rendered.roles.canonical).toEqual([
      'L009/locations.csv',
      'L009/shifts.csv',
      'L009/leads.csv',
      'L009/marketing_spend.csv',
      'L009/sales.csv',
      'L009/memberships.csv',
      'L009/patients.csv',
      'L009/providers.csv',
    ]);
    expect(rendered.roles.directory).toEqual(['L009/directory/services.csv']);
    expect(rendered.roles.options).toEqual(['L009/service_categories.csv']);
    expect(rendered.files.find((f) => f.path === 'L009/shifts.csv')!.text).toBe(
      'provider_id,location_id,date,start_time,end_time\nmindbody:90001,L009,2025-01-02,09:00,17:00\n',
    );
  });
});
