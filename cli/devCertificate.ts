import { createPrivateKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where office-addin-dev-certs keeps the certificate it creates and trusts (`npx office-addin-dev-certs install`). */
export const DEV_CERT_DIR = path.join(os.homedir(), '.office-addin-dev-certs');

export type DevCertificate =
  { ok: true; cert: Buffer; key: Buffer; certFile: string; validTo: Date } | { ok: false; reason: string };

/**
 * The development certificate for `npm start`'s HTTPS, read (never created) from the
 * office-addin-dev-certs folder: creating and trusting one changes the machine's trust store,
 * which is the user's decision (`npx office-addin-dev-certs install`), not a side effect of start.
 */
export function readDevCertificate(dir: string = DEV_CERT_DIR, now: Date = new Date()): DevCertificate {
  const certFile = path.join(dir, 'localhost.crt');
  const keyFile = path.join(dir, 'localhost.key');
  if (!fs.existsSync(certFile) || !fs.existsSync(keyFile)) {
    return { ok: false, reason: `no development certificate in ${dir}` };
  }
  const cert = fs.readFileSync(certFile);
  const key = fs.readFileSync(keyFile);
  let parsed: X509Certificate;
  try {
    parsed = new X509Certificate(cert);
  } catch {
    return { ok: false, reason: `${certFile} is not a PEM certificate` };
  }
  const validTo = new Date(parsed.validTo);
  if (validTo.getTime() <= now.getTime()) {
    return {
      ok: false,
      reason: `the development certificate expired on ${validTo.toISOString().slice(0, 10)}`,
    };
  }
  let matches = false;
  try {
    matches = parsed.checkPrivateKey(createPrivateKey(key));
  } catch {
    matches = false;
  }
  if (!matches) return { ok: false, reason: `${keyFile} is not the key of ${certFile}` };
  return { ok: true, cert, key, certFile, validTo };
}
