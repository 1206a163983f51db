import type { MetricContext } from '../metrics/metricContext';
import { formatCents } from '../model/money';
import { traceOf } from './actionJson';
import type { Briefing, BriefingItem } from './briefing';
import type { TraceFigure } from './briefingFigures';

/**
 * The briefing as `caliper briefing --json`, `GET /api/briefing` and the store's `briefings`
 * table hold it (snake_case, money in integer cents, each trace figure with the command and the
 * API path that answer it), and as text: plain lines for the terminal, markdown for the docs.
 */

/** `caliper …` and `/api/…` that answer one figure of a trace. */
export function figureCalls(figure: TraceFigure): { cli: string; api: string } {
  switch (figure.kind) {
    case 'metric':
      return traceOf({ kind: 'metric', metric: figure.metric, scope: figure.scope, period: figure.period });
    case 'actions': {
      const query = new URLSearchParams({ location: figure.locationId, as_of: figure.asOf });
      return {
        cli: `caliper actions --location ${figure.locationId} --as-of ${figure.asOf}`,
        api: `/api/actions?${query.toString()}`,
      };
    }
    case 'forecast': {
      const query = new URLSearchParams({ location: figure.locationId, as_of: figure.origin, months: '1' });
      return {
        cli: `caliper forecast --location ${figure.locationId} --as-of ${figure.origin} --months 1`,
        api: `/api/forecast?${query.toString()}`,
      };
    }
  }
}

function figureJson(figure: TraceFigure): Record<string, unknown> {
  const common = {
    kind: figure.kind,
    name: figure.name,
    value: figure.value,
    unit: figure.unit,
    ...(figure.reason === undefined ? {} : { reason: figure.reason }),
  };
  const where =
    figure.kind === 'metric'
      ? {
          metric: figure.metric,
          scope: {
            kind: figure.scope.kind,
            location_id: figure.scope.kind === 'portfolio' ? null : figure.scope.locationId,
            provider_id: figure.scope.kind === 'provider' ? figure.scope.providerId : null,
          },
          period: figure.period,
        }
      : figure.kind === 'actions'
        ? { rule: figure.rule, location_id: figure.locationId, as_of: figure.asOf }
        : { location_id: figure.locationId, origin: figure.origin, month: figure.month };
  return { ...common, ...where, trace: figureCalls(figure) };
}

export function briefingItemJson(item: BriefingItem): Record<string, unknown> {
  return {
    kind: item.kind,
    location_id: item.locationId,
    sentence: item.sentence,
    dollars_cents: item.dollarsCents,
    dollars_basis: item.dollarsBasis,
    trace: item.trace.map(figureJson),
  };
}

export function briefingJson(b: Briefing, ctx?: MetricContext): Record<string, unknown> {
  const locationId = b.scope.kind === 'location' ? b.scope.locationId : null;
  return {
    date: b.date,
    scope: {
      kind: b.scope.kind,
      location_id: locationId,
      name: locationId === null ? null : (ctx?.location(locationId)?.name ?? null),
    },
    as_of_month: b.asOfMonth,
    items: b.items.map(briefingItemJson),
    notes: b.notes,
  };
}

const dollarsColumn = (cents: number | null) =>
  cents === null ? '—' : `${cents < 0 ? '−' : ''}$${formatCents(Math.abs(cents))}`;

/** Plain text: a line per item (dollars, sentence), its trace commands beneath when asked, then the notes. */
export function formatBriefing(b: Briefing, options: { traces?: boolean; title?: string } = {}): string {
  const title = options.title ?? (b.scope.kind === 'portfolio' ? 'the portfolio' : b.scope.locationId);
  const lines = [
    `Daily briefing for ${title}, ${b.date}${b.asOfMonth === null ? '' : ` (figures through ${b.asOfMonth})`}`,
    '',
  ];
  if (b.items.length === 0) lines.push('Nothing to report.');
  const width = Math.max(7, ...b.items.map((i) => dollarsColumn(i.dollarsCents).length));
  for (const item of b.items) {
    lines.push(`${dollarsColumn(item.dollarsCents).padStart(width)}  ${item.sentence}`);
    if (options.traces === true)
      for (const f of item.trace) lines.push(`${' '.repeat(width + 2)}↳ ${figureCalls(f).cli}`);
  }
  if (b.notes.length > 0) lines.push('', 'Notes:', ...b.notes.map((n) => `- ${n}`));
  return lines.join('\n');
}

/** Markdown: a numbered list, largest first, each item's trace one link-free command away. */
export function briefingMarkdown(b: Briefing, title?: string): string {
  const name = title ?? (b.scope.kind === 'portfolio' ? 'the portfolio' : b.scope.locationId);
  const lines = [
    `## Daily briefing for ${name}, ${b.date}`,
    '',
    b.asOfMonth === null
      ? 'No data to brief on.'
      : `Figures through ${b.asOfMonth}, the last complete month.`,
    '',
  ];
  b.items.forEach((item, i) => {
    lines.push(`${i + 1}. **${dollarsColumn(item.dollarsCents)}** — ${item.sentence}`);
    const first = item.trace[0];
    if (first !== undefined)
      lines.push(
        `   <sub>trace: \`${figureCalls(first).cli}\`${item.trace.length > 1 ? ` and ${item.trace.length - 1} more` : ''}</sub>`,
      );
  });
  if (b.notes.length > 0) lines.push('', ...b.notes.map((n) => `- ${n}`));
  return lines.join('\n');
}
