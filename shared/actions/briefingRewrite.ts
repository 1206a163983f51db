import type { Briefing } from './briefing';

/**
 * The optional rewrite of a briefing's sentences into smoother prose (issue 14: "through Azure
 * OpenAI when configured, never required, never sent identifiers"). Only the hook exists: no
 * rewriter is built in, nothing calls a network, and the deterministic sentences are what every
 * surface shows (docs/briefing.md). A deployment that adds a rewriter gets, through `rewriteInput`,
 * the sentences with every location and provider name replaced by a placeholder — patients are
 * never in a sentence to begin with — and `applyRewrite` puts the names back and refuses an
 * answer that lost or invented a number, so the trace still holds.
 */

export interface BriefingRewriter {
  /** One rewritten sentence per sentence given, in order. */
  rewrite(sentences: readonly string[]): Promise<string[]>;
}

export interface RewriteConfig {
  endpoint: string;
  deployment: string;
}

/** Off unless both variables are set (the key would come from the deployment's managed identity). */
export function rewriteConfigOf(env: NodeJS.ProcessEnv = process.env): RewriteConfig | null {
  const endpoint = env.CALIPER_OPENAI_ENDPOINT?.trim();
  const deployment = env.CALIPER_OPENAI_DEPLOYMENT?.trim();
  return endpoint && deployment ? { endpoint, deployment } : null;
}

/** The sentences with the given names (locations', providers') as `{{name_1}}`, `{{name_2}}`…. */
export function rewriteInput(
  b: Briefing,
  names: readonly string[],
): { sentences: string[]; placeholders: Map<string, string> } {
  const placeholders = new Map<string, string>();
  // Longest first, so "Glow – Phoenix East" is replaced before "Glow – Phoenix".
  const ordered = [...new Set(names.filter((n) => n.trim() !== ''))].sort((a, c) => c.length - a.length);
  ordered.forEach((n, i) => placeholders.set(`{{name_${i + 1}}}`, n));
  const sentences = b.items.map((item) =>
    [...placeholders].reduce((text, [token, n]) => text.split(n).join(token), item.sentence),
  );
  return { sentences, placeholders };
}

const numbersOf = (text: string) => (text.match(/\d[\d,.]*/g) ?? []).sort().join(' ');

/** The rewritten briefing, or the original when an answer drops, adds or changes a number. */
export function applyRewrite(
  b: Briefing,
  input: { sentences: string[]; placeholders: Map<string, string> },
  rewritten: readonly string[],
): Briefing {
  if (rewritten.length !== input.sentences.length) return b;
  if (rewritten.some((text, i) => numbersOf(text) !== numbersOf(input.sentences[i] ?? ''))) return b;
  const restore = (text: string) =>
    [...input.placeholders].reduce((t, [token, n]) => t.split(token).join(n), text);
  return {
    ...b,
    items: b.items.map((item, i) => ({ ...item, sentence: restore(rewritten[i] ?? item.sentence) })),
  };
}
