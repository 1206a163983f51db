import fs from 'node:fs';
import path from 'node:path';

import { type MappingProposal, proposeMapping } from '../../shared/connectors/columnMapping';
import { readVendorCsv, VendorCsvError } from '../../shared/connectors/vendorCsv';
import { type AnyFileSpec, CANONICAL_FILES } from '../../shared/model/canonicalBundle';

export interface MapCommandOptions {
  out?: string;
  json: boolean;
  /** Replace an existing mapping file (without it an existing file is never overwritten). */
  force?: boolean;
}

/**
 * Where `caliper map` writes by default: beside the export, named after it without its
 * extension — `exports/mangomint_appointments.csv` → `exports/mangomint_appointments.mapping.json`.
 */
export function defaultMappingPath(file: string): string {
  return path.join(path.dirname(file), `${path.basename(file, path.extname(file))}.mapping.json`);
}

/**
 * `caliper map FILE`: proposes a column mapping and writes it for the user to check and edit.
 * Exit 0: written; 1: the file cannot be read or the mapping file already exists (an edited
 * mapping is never overwritten unless `--force` says so).
 */
export async function runMap(
  file: string,
  options: MapCommandOptions,
  out: (text: string) => void,
): Promise<number> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch {
    out(`Error: ${file}: no such file`);
    return 1;
  }
  let proposal: MappingProposal;
  try {
    const csv = readVendorCsv(text);
    proposal = proposeMapping(
      path.basename(file),
      csv.headers,
      csv.rows.map((r) => r.cells),
    );
  } catch (error) {
    if (!(error instanceof VendorCsvError)) throw error;
    out(`Error: ${file}: ${error.message}`);
    return 1;
  }
  const target = options.out ?? defaultMappingPath(file);
  if (fs.existsSync(target) && options.force !== true) {
    out(
      `Error: ${target} already exists; edit it, pass --out to write the proposal elsewhere, or --force to replace it`,
    );
    return 1;
  }
  await fs.promises.writeFile(target, `${JSON.stringify(proposal.profile, null, 2)}\n`);
  out(
    options.json
      ? JSON.stringify({ file: target, ...proposal }, null, 2)
      : formatProposal(file, target, proposal),
  );
  return 0;
}

function formatProposal(file: string, target: string, proposal: MappingProposal): string {
  const { profile, confidence } = proposal;
  const spec = CANONICAL_FILES.find((s) => s.entity === profile.entity) as AnyFileSpec | undefined;
  const lines = [`${file}: looks like ${spec?.file ?? profile.entity}`, ''];
  for (const [column, header] of Object.entries(profile.columns)) {
    const required = spec?.columns[column]?.required ? '*' : ' ';
    const sure = confidence[column] ?? 0;
    lines.push(
      `  ${required} ${column.padEnd(20)} ← ${header === null ? '(not found)' : `${JSON.stringify(header)} (${sure < 0.6 ? 'check: ' : ''}${sure.toFixed(2)})`}`,
    );
  }
  for (const [column, values] of Object.entries(profile.values)) {
    const unknown = Object.entries(values).filter(([, v]) => v === '');
    if (unknown.length > 0)
      lines.push(
        '',
        `  ${column}: fill in the canonical value of ${unknown.map(([k]) => JSON.stringify(k)).join(', ')}`,
      );
  }
  if (profile.row_id !== undefined)
    lines.push(
      '',
      `  ${profile.row_id}: the export has no id column, so each row's id is the file name and row number`,
      '  (re-ingesting the same file updates the same rows; a renamed or re-sorted export makes new ones)',
    );
  const statusOrKind = ['status', 'kind'].filter(
    (c) => spec?.columns[c]?.required && profile.columns[c] === null,
  );
  for (const column of statusOrKind)
    lines.push(
      '',
      `  ${column}: no column found; if every row has the same one, set "constants": {"${column}": "…"} (version 2)`,
    );
  if (proposal.unusedHeaders.length > 0) lines.push('', `  not used: ${proposal.unusedHeaders.join(', ')}`);
  lines.push(
    '',
    `Wrote ${target} (* = required). Check it, edit what is wrong, then:`,
    `  caliper ingest --mapping ${target} ${file}`,
  );
  return lines.join('\n');
}
