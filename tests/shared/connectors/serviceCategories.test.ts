import { categorizeService, unmappedServiceWarnings } from '../../../shared/connectors/serviceCategories';
import type { CanonicalRecord } from '../../../shared/connectors/vendorProfile';

describe('service categories', () => {
  it.each([
    ['Botox - per unit', 'neurotoxin'],
    ['Dysport (unit)', 'neurotoxin'],
    ['Xeomin', 'neurotoxin'],
    ['JEUVEAU TOX', 'neurotoxin'],
    ['Daxxify Forehead', 'neurotoxin'],
    ['Juvéderm Ultra XC', 'filler'],
    ['Restylane Kysse 1ml', 'filler'],
    ['RHA 4', 'filler'],
    ['Radiesse', 'filler'],
    ['Sculptra Aesthetic (vial)', 'filler'],
    ['Laser Hair Removal - Full Legs', 'laser'],
    ['BBL Photofacial', 'laser'],
    ['Moxi Full Face', 'laser'],
    ['Halo Hybrid Resurfacing', 'laser'],
    ['Fraxel Dual', 'laser'],
    ['PicoSure Tattoo', 'laser'],
    ['CO2 Laser Resurfacing', 'laser'],
    ['Morpheus8 Face + Neck', 'energy_device'],
    ['Ultherapy Brow', 'energy_device'],
    ['Thermage FLX Eyes', 'energy_device'],
    ['RF Microneedling', 'energy_device'],
    ['CoolSculpting - Abdomen', 'body_contouring'],
    ['Emsculpt NEO', 'body_contouring'],
    ['HydraFacial Signature', 'facial'],
    ['VI Peel Precision Plus', 'skin_treatment'],
    ['Microneedling with PRP', 'skin_treatment'],
    ['Dermaplaning', 'skin_treatment'],
    ['Complimentary Consultation', 'consultation'],
    ['Botox Consult', 'consultation'],
  ])('puts %s in %s', (name, category) => {
    expect(categorizeService(name)).toEqual({ category, matched: true });
  });

  it('falls back to other_service for a name no rule knows, unless the vendor category names one', () => {
    expect(categorizeService('Signature Glow Ritual')).toEqual({ category: 'other_service', matched: false });
    expect(categorizeService('Signature Glow Ritual', new Map(), 'Facials')).toEqual({
      category: 'facial',
      matched: true,
    });
  });

  it.each(['Neurotoxins', 'Toxins', 'Toxin', 'Wrinkle Relaxer', 'Wrinkle Relaxers', 'Neuromodulators'])(
    'reads the vendor subcategory %s as neurotoxin',
    (hint) => {
      expect(categorizeService('Forehead Lines', new Map(), hint)).toEqual({
        category: 'neurotoxin',
        matched: true,
      });
    },
  );

  it('lets a user override win over the rules, matched whatever the case and punctuation', () => {
    const overrides = new Map([
      ['signature glow ritual', 'facial' as const],
      ['botox per unit', 'other_service' as const],
    ]);

    expect(categorizeService('SIGNATURE GLOW RITUAL', overrides).category).toBe('facial');
    expect(categorizeService('Botox - per unit', overrides).category).toBe('other_service');
  });

  it('reports each unmapped service once with its share of the sales revenue', () => {
    const records: CanonicalRecord[] = [
      {
        entity: 'services',
        sourceRow: 2,
        values: { service_code: 'x:glow', service_name: 'Glow Ritual', category: 'other_service' },
      },
      {
        entity: 'services',
        sourceRow: 3,
        values: { service_code: 'x:botox', service_name: 'Botox', category: 'neurotoxin' },
      },
      {
        entity: 'sales',
        sourceRow: 4,
        values: { service_code: 'x:glow', gross: '100.00', discount: '25.00' },
      },
      { entity: 'sales', sourceRow: 5, values: { service_code: 'x:botox', gross: '225.00', discount: '' } },
    ];

    const warnings = unmappedServiceWarnings(records).map((w) => w.issue);

    expect(warnings).toEqual([
      {
        severity: 'warning',
        row: 2,
        column: 'service_name',
        code: 'unmapped_service',
        message:
          'service "Glow Ritual" matches no category rule, so it counts as other_service (25.0% of sales revenue); name its category with --services',
      },
    ]);
  });
});
