/**
 * The ids the demo's vendor exports use for the canonical demo's patients, providers and
 * employees. Each is a pure function of the canonical id, so every file of a location (and
 * the canonical files written beside the exports) names the same person the same way.
 */

/** `L001-P000761` → `1000761`: EMR client numbers are numeric; the location number keeps them unique. */
export function clientNumber(patientId: string): string {
  const m = /^L(\d+)-P(\d+)$/.exec(patientId);
  return m ? `${Number(m[1])}${m[2]}` : patientId.replace(/[^A-Za-z0-9]/g, '');
}

/** `L004-PR03` → 40003, `PF001` (a floater) → 900001: Mindbody staff ids are numbers. */
export function staffNumber(providerId: string): number {
  let m = /^L(\d+)-PR(\d+)$/.exec(providerId);
  if (m) return Number(m[1]) * 10000 + Number(m[2]);
  m = /^PF(\d+)$/.exec(providerId);
  if (m) return 900000 + Number(m[1]);
  return 800000 + (fnv32(providerId) % 100000);
}

/** `E1001` → `001001`: ADP file numbers are six digits with leading zeros. */
export function adpFileNumber(payrollEmployeeId: string): string {
  const digits = payrollEmployeeId.replace(/\D/g, '');
  return digits === '' ? payrollEmployeeId : digits.padStart(6, '0');
}

function fnv32(text: string, seed = 0x811c9dc5): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A version-4-shaped UUID derived from a key (Gusto and Boulevard ids), the same every run. */
export function stableUuid(key: string): string {
  const hex = [1, 2, 3, 4].map((i) => fnv32(`${i}:${key}`).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
