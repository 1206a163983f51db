/**
 * A small document model rendered two ways: Markdown for docs/functions.md and plain HTML for the
 * add-in's functions.html. One model, so the two pages cannot say different things.
 *
 * Inline text is a subset of Markdown — `code`, *emphasis*, [text](href) and backslash escapes —
 * parsed once into segments, then written out with each format's own escaping: text that comes
 * from the JSDoc goes through `plain()` first, so nothing in it is read as markup.
 */

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; header: string[]; rows: string[][] }
  | { kind: 'code'; text: string }
  | { kind: 'comment'; text: string };

type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'em'; text: string }
  | { kind: 'link'; text: string; href: string };

/** Text shown as written: every character the inline syntax would read is escaped. */
export function plain(text: string): string {
  return text.replace(/[\\`*[\]<>|]/g, (c) => `\\${c}`);
}

/**
 * A heading's anchor as GitHub makes it for docs/functions.md, so one link works in both pages:
 * lowercase, punctuation dropped, spaces as dashes.
 */
export function slug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Text as inline code. */
export function code(text: string): string {
  return `\`${text}\``;
}

/** The inline syntax's segments: code spans and links are read first, then emphasis, then escapes. */
export function parseInline(text: string): Segment[] {
  const segments: Segment[] = [];
  let buffer = '';
  const flush = () => {
    if (buffer !== '') segments.push({ kind: 'text', text: buffer });
    buffer = '';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    const rest = text.slice(i);
    const codeSpan = /^`([^`]+)`/.exec(rest);
    const link = /^\[((?:\\.|[^\]\\])+)\]\(([^)\s]+)\)/.exec(rest);
    const em = /^\*((?:\\.|[^*\\])+)\*/.exec(rest);
    if (c === '\\' && i + 1 < text.length) {
      buffer += text[i + 1];
      i += 2;
    } else if (codeSpan) {
      flush();
      segments.push({ kind: 'code', text: codeSpan[1] ?? '' });
      i += codeSpan[0].length;
    } else if (link) {
      flush();
      segments.push({ kind: 'link', text: unescape(link[1] ?? ''), href: link[2] ?? '' });
      i += link[0].length;
    } else if (em) {
      flush();
      segments.push({ kind: 'em', text: unescape(em[1] ?? '') });
      i += em[0].length;
    } else {
      buffer += c;
      i += 1;
    }
  }
  flush();
  return segments;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

// ---- Markdown ----

/** Markdown text: every character the inline syntax reads, escaped. */
function mdText(text: string): string {
  return text.replace(/[\\`*[\]<>|]/g, (c) => `\\${c}`);
}

function mdInline(text: string, startsLine = false): string {
  const out = parseInline(text)
    .map((s) => {
      switch (s.kind) {
        case 'text':
          return mdText(s.text);
        // GFM reads a | inside a code span as a column break unless it is escaped.
        case 'code':
          return `\`${s.text.replace(/\|/g, '\\|')}\``;
        case 'em':
          return `*${mdText(s.text)}*`;
        case 'link':
          return `[${mdText(s.text)}](${s.href})`;
      }
    })
    .join('');
  if (!startsLine) return out;
  // At the start of a line, a character that would start a heading, list or quote is escaped too.
  return out.replace(/^[#+\->]/, '\\$&').replace(/^(\d+)\./, '$1\\.');
}

export function renderMarkdown(blocks: readonly Block[]): string {
  const parts = blocks.map((block) => {
    switch (block.kind) {
      case 'heading':
        return `${'#'.repeat(block.level)} ${mdInline(block.text)}`;
      case 'paragraph':
        return mdInline(block.text, true);
      case 'list':
        return block.items.map((item) => `- ${mdInline(item, true)}`).join('\n');
      case 'table': {
        const row = (cells: readonly string[]) => `| ${cells.map((c) => mdInline(c)).join(' | ')} |`;
        return [
          row(block.header),
          `|${block.header.map(() => '---').join('|')}|`,
          ...block.rows.map(row),
        ].join('\n');
      }
      case 'code':
        return ['```', block.text, '```'].join('\n');
      case 'comment':
        return `<!-- ${block.text} -->`;
    }
  });
  return `${parts.join('\n\n')}\n`;
}

// ---- HTML ----

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** A link within the page stays a link; one to a repository file (not served with the page) becomes its text. */
function htmlInline(text: string): string {
  return parseInline(text)
    .map((s) => {
      switch (s.kind) {
        case 'text':
          return escapeHtml(s.text);
        case 'code':
          return `<code>${escapeHtml(s.text)}</code>`;
        case 'em':
          return `<em>${escapeHtml(s.text)}</em>`;
        case 'link':
          return s.href.startsWith('#')
            ? `<a href="${escapeHtml(s.href)}">${escapeHtml(s.text)}</a>`
            : escapeHtml(s.text);
      }
    })
    .join('');
}

const STYLE = [
  "body { font-family: 'Segoe UI', system-ui, sans-serif; max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.45; }",
  'table { border-collapse: collapse; margin: 0.5rem 0 1rem; }',
  'th, td { border: 1px solid #c8c8c8; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }',
  'th { background: #f3f3f3; }',
  'code, pre { font-family: Consolas, Menlo, monospace; font-size: 0.92em; }',
  'pre { background: #f6f6f6; padding: 0.5rem; overflow-x: auto; }',
  // Excel opens the page in a narrow pane: long formulas wrap rather than widen the table.
  'td code { overflow-wrap: anywhere; }',
  'h2 { border-top: 1px solid #ddd; padding-top: 1rem; }',
].join('\n');

/** A whole page: no script, no external resource, every text escaped. */
export function renderHtml(title: string, blocks: readonly Block[]): string {
  const body = blocks.map((block) => {
    switch (block.kind) {
      case 'heading': {
        // Section headings are link targets; the subheadings inside a function's section repeat.
        const id = block.level === 2 ? ` id="${escapeHtml(slug(block.text))}"` : '';
        return `<h${block.level}${id}>${htmlInline(block.text)}</h${block.level}>`;
      }
      case 'paragraph':
        return `<p>${htmlInline(block.text)}</p>`;
      case 'list':
        return `<ul>\n${block.items.map((item) => `<li>${htmlInline(item)}</li>`).join('\n')}\n</ul>`;
      case 'table': {
        const cells = (tag: string, row: readonly string[]) =>
          `<tr>${row.map((c) => `<${tag}>${htmlInline(c)}</${tag}>`).join('')}</tr>`;
        return [
          '<table>',
          `<thead>${cells('th', block.header)}</thead>`,
          '<tbody>',
          ...block.rows.map((row) => cells('td', row)),
          '</tbody>',
          '</table>',
        ].join('\n');
      }
      case 'code':
        return `<pre><code>${escapeHtml(block.text)}</code></pre>`;
      case 'comment':
        return `<!-- ${escapeHtml(block.text).replace(/--/g, '- -')} -->`;
    }
  });
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8" />',
    '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    `<title>${escapeHtml(title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
