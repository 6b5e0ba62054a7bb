import type { RuleMeta } from './types';

/** A template split once into literal text (even indexes) and placeholders (odd: [key, as written]). */
type Compiled = Array<string | [string, string]>;

// Findings of file-scoped rules are formatted again on every lint: split each template once.
const compiled = new WeakMap<RuleMeta, Map<string, Compiled>>();

function compile(template: string): Compiled {
  const parts: Compiled = [];
  const re = /\{\{\s*(\w+)\s*\}\}/g;
  let last = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    parts.push(template.slice(last, m.index), [m[1], m[0]]);
    last = m.index + m[0].length;
  }
  parts.push(template.slice(last));
  return parts;
}

/** Fills `{{name}}` placeholders of a rule message; unknown placeholders stay visible. */
export function formatMessage(meta: RuleMeta, messageId: string, data?: Record<string, string | number>): string {
  let byId = compiled.get(meta);
  if (!byId) compiled.set(meta, (byId = new Map()));
  let parts = byId.get(messageId);
  if (!parts) {
    const template = meta.messages[messageId];
    if (template === undefined) throw new Error(`Rule ${meta.id} has no message "${messageId}"`);
    byId.set(messageId, (parts = compile(template)));
  }
  let out = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    // No destructuring: under the CLI's baseline tiers it iterates the pair (an iterator and two results).
    const placeholder = parts[i] as [string, string];
    const key = placeholder[0];
    out += (data && key in data ? String(data[key]) : placeholder[1]) + (parts[i + 1] as string);
  }
  return out;
}
