import type { MetricContext } from '../metricContext';
import { channelOf } from './channels';
import { convertingLead } from './leadFunnel';
import type { NewPatient } from './newPatients';

/** Where a new patient's channel came from (metrics.md: the converting lead, else the EMR's referral source). */
export interface Attribution {
  channel: string | null;
  source: 'lead' | 'referral_source' | null;
}

const referralSources = new WeakMap<MetricContext, ReadonlyMap<string, string | null>>();

function referralSourceOf(ctx: MetricContext, patientId: string): string | null {
  let byPatient = referralSources.get(ctx);
  if (!byPatient) {
    // Filled in a loop, the patients with a referral source only (absent reads as none): a list
    // of pairs first was 0.9 M arrays at 200 locations, made only to be dropped.
    const sources = new Map<string, string | null>();
    for (const p of ctx.data.patients)
      if (p.referral_source !== null) sources.set(p.patient_id, p.referral_source);
    byPatient = sources;
    referralSources.set(ctx, byPatient);
  }
  return byPatient.get(patientId) ?? null;
}

/**
 * The channel of a new patient: the converting lead's (the last one created among the leads that
 * converted her), else the referral source on the EMR record of her first visit.
 */
export function attributionOf(ctx: MetricContext, patient: NewPatient): Attribution {
  const lead = convertingLead(ctx, patient.personKey);
  if (lead !== undefined && lead.channel !== null) return { channel: lead.channel, source: 'lead' };
  const channel = channelOf(referralSourceOf(ctx, patient.patientId));
  return channel === null ? { channel: null, source: null } : { channel, source: 'referral_source' };
}
