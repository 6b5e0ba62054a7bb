import type { RuleMeta } from './types';

/** Fills `{{name}}` placeholders of a rule message; unknown placeholders stay visible. */
export function formatMessage(meta: RuleMeta, messageId: string, data?: Record<string, string | number>): string {
  const template = meta.messages[messageId];
  if (template === undefined) throw new Error(`Rule ${meta.id} has no message "${messageId}"`);
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (all, key: string) => (data && key in data ? String(data[key]) : all));
}
