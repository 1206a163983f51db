import type { Patient } from './patients';
import { formatPhone, personFor, PHONE_STYLES, presentEmail } from './people';
import type { LocationPlan } from './portfolioPlan';
import { Random } from './random';

/**
 * How a patient's identity appears in one location's exports: the email as typed (sometimes
 * missing), the phone in the EMR's notation (sometimes missing), the self-reported referral
 * source. Derived from a stream of its own so the patient row and the lead that preceded it
 * always agree.
 */

export interface PatientContact {
  email: string;
  phone: string;
  referralSource: string;
  /** Canonical forms for a web lead form, which stores what the patient typed. */
  leadEmail: string;
  leadPhone: string;
}

export function contactOf(seed: number, location: LocationPlan, patient: Patient): PatientContact {
  const person = personFor(seed, patient.personNumber, patient.areaCodes);
  const rng = Random.fromKey(seed, 'contact', location.index, patient.serial);
  // A patient shared with a sister location always has an email there, so the pair can be matched.
  const email = !patient.sharedWithSister && rng.chance(0.1) ? '' : presentEmail(person.email, rng);
  const style = rng.chance(0.8) ? location.phoneStyle : rng.pick(PHONE_STYLES);
  const phone = rng.chance(0.07) ? '' : formatPhone(person.phoneDigits, style);
  let referralSource: string = patient.channel;
  if (rng.chance(0.08)) referralSource = '';
  else if (rng.chance(0.1)) referralSource = rng.pick(['organic', 'referral']);
  const leadHasEmail = email !== '' || rng.chance(0.5);
  return {
    email,
    phone,
    referralSource,
    leadEmail: leadHasEmail ? person.email : '',
    leadPhone: !leadHasEmail || rng.chance(0.6) ? `+1${person.phoneDigits}` : '',
  };
}
