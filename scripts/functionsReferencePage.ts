/**
 * The functions reference as a document: one section per `=CALIPER.*` function from its JSDoc
 * (functionsReferenceRead.ts), then what every function shares — options, scope names, the
 * period grammar (taken from the generated metric catalog, never restated), what the errors
 * mean and how to load data from the pane.
 */
import { renderMetricCatalog } from '../shared/metrics/catalogDocs';
import { functionAnchor, type FunctionDoc, type ParameterDoc } from './functionsReferenceRead';
import { type Block, code, plain, slug } from './referenceBlocks';

export const REFERENCE_TITLE = 'Caliper functions reference';

/** The shared sections' titles; their anchors (GitHub's slugs) must differ from every other heading's. */
export const SECTION_TITLES = {
  functions: 'Functions',
  options: 'Options and spills',
  scopes: 'Scopes and names',
  periods: 'Period grammar',
  errors: 'What the errors mean',
  upload: 'Loading data from the pane',
} as const;

const link = (text: string, section: keyof typeof SECTION_TITLES) =>
  `[${text}](#${slug(SECTION_TITLES[section])})`;

function parameterText(p: ParameterDoc): string {
  const name = p.repeating ? `${p.name}…` : p.name;
  return p.optional ? `[${name}]` : name;
}

export function signature(doc: FunctionDoc): string {
  return `=CALIPER.${doc.id}(${doc.parameters.map(parameterText).join(', ')})`;
}

/** The first sentence of a description, for the contents table. */
function summary(description: string): string {
  const end = description.search(/\.(\s|$)/);
  return end < 0 ? description : description.slice(0, end + 1);
}

function functionSection(doc: FunctionDoc): Block[] {
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: doc.id },
    { kind: 'code', text: signature(doc) },
    { kind: 'paragraph', text: plain(doc.description) },
  ];
  if (doc.parameters.length > 0) {
    blocks.push(
      { kind: 'heading', level: 3, text: 'Arguments' },
      {
        kind: 'table',
        header: ['argument', 'required', 'meaning and accepted forms'],
        rows: doc.parameters.map((p) => [
          code(parameterText(p)),
          p.optional ? 'no' : 'yes',
          plain(p.description),
        ]),
      },
    );
  }
  if (doc.options.length > 0) {
    blocks.push(
      { kind: 'heading', level: 3, text: 'Options' },
      {
        kind: 'table',
        header: ['option', 'meaning'],
        rows: doc.options.map((o) => [code(`${o.name}=${o.values}`), plain(o.description)]),
      },
    );
  }
  blocks.push(
    { kind: 'heading', level: 3, text: 'Returns' },
    { kind: 'paragraph', text: plain(doc.returns) },
    { kind: 'heading', level: 3, text: 'Examples' },
    {
      kind: 'table',
      header: ['formula', 'shows'],
      rows: doc.examples.map((e) => [code(e.formula), plain(e.meaning)]),
    },
    { kind: 'heading', level: 3, text: 'Errors' },
  );
  if (doc.errors.length > 0) {
    blocks.push({
      kind: 'table',
      header: ['error', 'message (example)', 'meaning'],
      rows: doc.errors.map((e) => [code(e.code), plain(e.message), plain(e.meaning)]),
    });
  }
  blocks.push({
    kind: 'paragraph',
    text: `Like every function, also the errors in ${link('What the errors mean', 'errors')}: not connected, no answer in time, a malformed argument or option.`,
  });
  return blocks;
}

function contents(docs: readonly FunctionDoc[]): Block[] {
  return [
    { kind: 'heading', level: 2, text: SECTION_TITLES.functions },
    {
      kind: 'table',
      header: ['function', 'what it answers'],
      rows: docs.map((d) => [`[${d.id}](#${functionAnchor(d.id)})`, plain(summary(d.description))]),
    },
    {
      kind: 'paragraph',
      text: `Shared by every function: ${link('options', 'options')}, ${link('scope names', 'scopes')}, ${link('the period grammar', 'periods')}, ${link('what the errors mean', 'errors')}, ${link('loading data from the pane', 'upload')}.`,
    },
  ];
}

/** Every option, its values and the functions taking it, from the functions' own @option tags. */
function optionsSection(docs: readonly FunctionDoc[]): Block[] {
  const byName = new Map<string, { values: Set<string>; functions: string[] }>();
  for (const doc of docs) {
    for (const o of doc.options) {
      const entry = byName.get(o.name) ?? { values: new Set<string>(), functions: [] };
      entry.values.add(`${o.name}=${o.values}`);
      entry.functions.push(`[${doc.id}](#${functionAnchor(doc.id)})`);
      byName.set(o.name, entry);
    }
  }
  return [
    { kind: 'heading', level: 2, text: SECTION_TITLES.options },
    {
      kind: 'paragraph',
      text: 'Options follow the other arguments as `name=value` texts, like a Bloomberg override: one per argument (`"units=K","na=blank"`) or several in one, separated by `;` (`"units=K;na=blank"`), in any order, names and values in any case; an option given twice keeps the last. A value without a name is read as the function’s main option, so the older positional forms still work (`"coverage"` for KPI is `field=coverage`, `"quarter"` for SERIES is `grain=quarter`, `"region"` for BENCHMARK is `cohort=region`). An option a function does not take, or a value it does not accept, is `#VALUE!` naming it and listing what the function accepts. CALLLIST and FORECAST take one options text, `as_of=…` (no repeating options).',
    },
    {
      kind: 'table',
      header: ['option', 'accepted values', 'taken by'],
      rows: [...byName.entries()].map(([name, e]) => [
        code(name),
        [...e.values].map(code).join(', '),
        e.functions.join(', '),
      ]),
    },
    {
      kind: 'paragraph',
      text: 'Spilled tables have a header row of labels (catalog labels, not ids) unless `headers=false`. Dates are Excel date serials: a custom function cannot set a cell’s number format, so format the column as a date. The metric functions take no `asof=` option: the period carries the month instead (`LTM@2025-06`, `YTD@2025-06`, or an Excel date such as `CALIPER.ASOF()`).',
    },
  ];
}

const SCOPES: Block[] = [
  { kind: 'heading', level: 2, text: SECTION_TITLES.scopes },
  {
    kind: 'paragraph',
    text: 'Every function takes its identifier first — the scope — as Capital IQ, FactSet and Bloomberg put the security first. Names are forgiving, answers strict:',
  },
  {
    kind: 'table',
    header: ['scope as written', 'means'],
    rows: [
      ['`PORTFOLIO` or an empty cell', 'the whole portfolio (every location of the tenant)'],
      ['`L001`', 'a location by id (any case)'],
      ['`Contour Clinic – Charleston`', 'a location by its full name, any case, any dash (-, –, —)'],
      [
        '`Charleston`',
        'a location by a part of its name that matches exactly one location; when several match, `#N/A` names up to five candidates',
      ],
      ['`provider:L001-PR03`', 'a provider across all the locations they work at'],
      ['`L001/L001-PR03`', 'a provider at one location (`<location>/<provider id>`)'],
      [
        '`L001-PR03`',
        'a bare provider id or name also works, when no location has that id or name (a location’s exact id or name comes first, a provider next, a part of a location’s name last)',
      ],
    ],
  },
  {
    kind: 'paragraph',
    text: 'BENCHMARK and PROVIDERS take one location; CALLLIST, FORECAST and SAMESTORESET the portfolio or a location, not a provider. A name that matches nothing is `#N/A` naming it. Metrics are named by catalog id or label in any case, spaces, underscores and dashes alike (`Net Revenue`, `NET_REVENUE`, `net revenue` are `net_revenue`); `=CALIPER.METRICS()` lists them and [the metric catalog](metrics.md) defines them. A metric the catalog does not know is `#N/A` naming the closest ids.',
  },
  {
    kind: 'paragraph',
    text: 'The older metric-first order of KPI, SERIES, TRACE and BENCHMARK (and period-first of SAMESTORE and SAMESTORESET) is still read for one version: a call whose first argument is a metric and whose second is not is read the old way.',
  },
];

/** The "Periods" section of docs/metrics.md (generated from the period grammar), as blocks. */
export function periodGrammarBlocks(): Block[] {
  const catalog = renderMetricCatalog();
  const start = catalog.indexOf('\n## Periods\n');
  const end = catalog.indexOf('\n## ', start + 1);
  if (start < 0 || end < 0) throw new Error('docs/metrics.md has no "## Periods" section');
  const blocks: Block[] = [];
  for (const chunk of catalog.slice(start + '\n## Periods\n'.length, end).split(/\n\s*\n/)) {
    const lines = chunk.trim().split('\n');
    if (lines[0] === undefined || lines[0] === '') continue;
    if (lines[0].startsWith('|')) {
      const cells = (line: string) =>
        line
          .slice(1, -1)
          .split(/(?<!\\)\|/)
          .map((c) => c.trim());
      blocks.push({ kind: 'table', header: cells(lines[0]), rows: lines.slice(2).map(cells) });
    } else if (lines.every((l) => l.startsWith('- '))) {
      blocks.push({ kind: 'list', items: lines.map((l) => l.slice(2)) });
    } else {
      blocks.push({ kind: 'paragraph', text: lines.join(' ') });
    }
  }
  return blocks;
}

function periodsSection(): Block[] {
  return [
    { kind: 'heading', level: 2, text: SECTION_TITLES.periods },
    {
      kind: 'paragraph',
      text: 'This section is the “Periods” section of [the metric catalog](metrics.md#periods), generated from the period grammar itself (`shared/periods/period.ts`).',
    },
    ...periodGrammarBlocks(),
  ];
}

const ERRORS: Block[] = [
  { kind: 'heading', level: 2, text: SECTION_TITLES.errors },
  {
    kind: 'paragraph',
    text: 'A Caliper function answers a value or an Excel error with a message — never a silent 0. Excel shows the message when you select the cell and point at the error sign (in Excel on the web, in the error’s tooltip). Messages longer than 255 characters are shortened with “…”.',
  },
  {
    kind: 'table',
    header: ['error', 'means in Caliper'],
    rows: [
      [
        '`#N/A`',
        'No value to show. Either the value does not exist — a location closed or not yet open in the period, a period the data does not cover, a denominator of zero, too few peers for a benchmark — and the message gives the reason from the API; or a name matches nothing (`Unknown location …`, `Unknown metric …; did you mean …?`) or several things (`Ambiguous location …`, with up to five candidates). `na=blank` or `na=zero` show an absent value as an empty cell or 0 instead; unknown names stay `#N/A`.',
      ],
      [
        '`#VALUE!`',
        'The call itself is wrong, found before or by the API: a period outside the grammar (the message lists every accepted form), an option the function does not take or a value it does not accept (the message lists the accepted ones), a text where a number belongs or the reverse (`n must be a whole number from 1 to 500, got 0`), an empty required argument (`period is required`), a scope of the wrong kind (`scope must be one location …`).',
      ],
      [
        '`#BUSY!`',
        'Excel’s own sign that the answer is on its way. Caliper batches the cells of a recalculation into few requests; no cell waits longer than 30 s (120 s for CALLLIST and FORECAST, which fit models after an upload) before it shows a value or an error.',
      ],
      [
        '`#N/A` Not connected to Caliper: open the Caliper pane and connect (…)',
        'The add-in has no working connection: none saved, the API cannot be reached (the message names the URL), or the key or sign-in was refused. Open the pane, connect, then Refresh.',
      ],
      [
        '`#N/A` Caliper did not answer in 30 s',
        'The API did not answer within the hard timeout (120 s for CALLLIST and FORECAST). Recalculate later; a first call after an upload fits models and is the slowest.',
      ],
      [
        '`#N/A` Caliper add-in error: …',
        'A fault in the add-in itself, shown rather than hidden; please report it with the message.',
      ],
    ],
  },
  {
    kind: 'paragraph',
    text: 'An error the API reports keeps its message: `invalid_period`, `bad_request`, `invalid_json` and `scope_not_supported` become `#VALUE!`; not connected, unauthorized and forbidden the “Not connected” `#N/A`; anything else (`unknown_metric`, `unknown_location`, `no_data`, a server fault) `#N/A`. In a spilled table (SERIES, PROVIDERS, MEMBERSHIP, FORECAST) each cell without a value is its own `#N/A` with its own reason, so one gap does not hide the rest.',
  },
];

const UPLOAD: Block[] = [
  { kind: 'heading', level: 2, text: SECTION_TITLES.upload },
  {
    kind: 'paragraph',
    text: 'The functions read what has been uploaded to Caliper. To load vendor exports from Excel, open *Caliper* on the Home tab:',
  },
  {
    kind: 'list',
    items: [
      '*Connect*: the API URL and an API key (or *Sign in with Microsoft*, when the add-in is built with it).',
      '*Upload*: choose the files — a bundle `.zip`, or canonical `.csv` files and system exports (`.csv` or `.json`: Zenoti, Square, Stripe, Mindbody, Boulevard, Gusto, ADP, Google Ads, Meta…) together, several at once — and press *Upload*. Each export is recognized from its header or JSON shape and converted; a progress bar shows the file being read or converted. Nothing is written unless every file passes.',
      'The report then shows whether the upload was committed, the rows accepted and rejected per file, the issues grouped by reason with examples, the recognized exports (file: vendor · report), and the sales reconciliation of the point of sale against the EMR (location-months more than 2 % apart).',
      'When a file has more rejected rows than the limit allows, nothing is written and the report lists those files; *Commit the … accepted rows anyway* sends the same files again, leaving the rejected rows out.',
      'An upload that created locations (from an export’s center name) offers *Set opening dates*, which opens the *Locations* panel: same-store growth and peer cohorts leave a location out until its opening date is set.',
      'After a committed upload, *Refresh* (Home tab) recalculates the CALIPER formulas in the selection, sheet or workbook, dropping the functions’ cache so they ask Caliper again.',
    ],
  },
  {
    kind: 'paragraph',
    text: 'The pane sends the same upload as `POST /api/ingest` and `caliper ingest`; the vendor profiles and the rules of an ingest are in the [README](../README.md).',
  },
];

/** A link to a section must land on it: GitHub numbers a repeated heading's anchor (`errors-1`). */
function checkAnchors(blocks: readonly Block[]): void {
  const headings = blocks.flatMap((b) => (b.kind === 'heading' ? [b] : []));
  for (const h of headings.filter((b) => b.level === 2)) {
    const same = headings.filter((other) => slug(other.text) === slug(h.text));
    if (same.length > 1)
      throw new Error(`The reference has ${same.length} headings with the anchor #${slug(h.text)}`);
  }
}

/** The whole reference, in order. */
export function referenceBlocks(docs: readonly FunctionDoc[]): Block[] {
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: REFERENCE_TITLE },
    {
      kind: 'comment',
      text: 'Generated from the JSDoc of addin/functions/functions.ts by `npm run docs:functions`; a test fails when it is stale.',
    },
    {
      kind: 'paragraph',
      text: 'Every `=CALIPER.*` custom function of the Caliper Excel add-in: its arguments, options, examples and the errors it can return. Functions take the identifier first — the scope — then what to show, then the period, then options as `name=value` texts. This page is generated from the same JSDoc as the add-in’s `functions.json`, and the add-in serves it as `functions.html`, where each function’s *More help on this function* link in Excel points.',
    },
    ...contents(docs),
    ...docs.flatMap(functionSection),
    ...optionsSection(docs),
    ...SCOPES,
    ...periodsSection(),
    ...ERRORS,
    ...UPLOAD,
  ];
  checkAnchors(blocks);
  return blocks;
}
