import fs from 'node:fs';
import path from 'node:path';

import { type DemoOptions, generateDemoLocation } from '../../demo/demoPortfolio';
import { assertDemoOptions } from '../../demo/options';
import { planPortfolio } from '../../demo/portfolioPlan';
import { CanonicalRows } from '../../demo/vendorFormats/canonicalRows';
import type { VendorFile } from '../../demo/vendorFormats/exportText';
import type { PayrollSystem } from '../../demo/vendorFormats/payroll';
import {
  ingestArguments,
  type LocationSummary,
  renderDirectoryProviders,
  vendorDemoReadme,
} from '../../demo/vendorFormats/portfolio';
import { assignVendors, floaterProviderIds, renderLocation } from '../../demo/vendorFormats/renderLocation';

/**
 * `caliper demo --formats vendor`: the canonical demo of the same options, generated one
 * location at a time into memory and written as that location's vendor exports (see
 * demo/vendorFormats), plus a README with the `caliper ingest` commands that load it.
 */

export interface WriteVendorDemoOptions extends DemoOptions {
  outDir: string;
  onProgress?: (done: number, total: number, locationId: string) => void;
}

export interface WriteVendorDemoResult {
  locations: LocationSummary[];
  /** Every file written, relative to outDir, `/`-separated. */
  files: string[];
  bytes: number;
  /** `caliper ingest` argument lists with paths under outDir, to run in order. */
  ingest: string[][];
}

export async function writeVendorDemo(options: WriteVendorDemoOptions): Promise<WriteVendorDemoResult> {
  const { outDir, onProgress, ...demo } = options;
  assertDemoOptions(demo);
  const portfolio = planPortfolio(demo);
  const plans = portfolio.locations;
  const assignments = assignVendors(plans, portfolio.floats);
  const result: WriteVendorDemoResult = { locations: [], files: [], bytes: 0, ingest: [] };
  const write = (file: VendorFile) => {
    const full = path.join(outDir, ...file.path.split('/'));
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, file.text, 'utf8');
    result.files.push(file.path);
    result.bytes += Buffer.byteLength(file.text);
  };
  const vendorIds = {
    floaters: floaterProviderIds(portfolio.floats, assignments),
    payrollSystems: new Map<string, PayrollSystem>(),
  };
  for (let index = 0; index < plans.length; index++) {
    const plan = plans[index]!;
    const rows = new CanonicalRows();
    generateDemoLocation(demo, index, rows);
    const { files, ...summary } = renderLocation(
      { locationId: plan.id, name: plan.name, folder: plan.id, rows: rows.files },
      assignments[index]!,
      vendorIds,
    );
    files.forEach(write);
    result.locations.push(summary);
    onProgress?.(index + 1, plans.length, plan.id);
    // Generation is synchronous; yield between locations so timers (progress) run.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  renderDirectoryProviders(result.locations, vendorIds.payrollSystems).forEach(write);
  const relative = ingestArguments();
  const commands = relative.map((args) => `caliper ${args.join(' ')}`);
  write({ path: 'README.txt', text: vendorDemoReadme(result.locations, commands) });
  // The commands' paths are relative to outDir: every argument but `ingest`.
  result.ingest = relative.map((args) =>
    args.map((arg, i) => (i === 0 ? arg : path.join(outDir, ...arg.split('/')))),
  );
  return result;
}
