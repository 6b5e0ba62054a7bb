/**
 * Renders an EXPLAIN result as a self-contained HTML page for the plan webview.
 *
 * Pure (no `vscode` import) so it is tested in node. This is the seam for a richer viewer such as
 * pev2: anything implementing `PlanRenderer` can replace `htmlTreeRenderer` in planView.ts.
 * The page runs no script; collapsing uses <details>, so the CSP forbids scripts entirely.
 */

export interface PlanPayload {
  /** Shown as the page heading, e.g. the first line of the statement. */
  title: string;
  markdown: string;
  planJson?: unknown;
  /** Ledgerlint's ranked plan findings (the server's `ExplainResult.findings`), shown beside the diagram. */
  findings?: unknown[];
  /** The statement text, for pev2's query tab. */
  query?: string;
  error?: string;
}

export interface PlanRenderer {
  html(payload: PlanPayload, cspSource: string): string;
}

type PlanNode = Record<string, unknown>;

/** Keys shown in a node's headline or metrics line, so they are not repeated in its detail table. */
const HEADLINE_KEYS = new Set([
  'Node Type', 'Plans', 'Relation Name', 'Alias', 'Index Name', 'Join Type', 'Startup Cost', 'Total Cost',
  'Plan Rows', 'Plan Width', 'Actual Startup Time', 'Actual Total Time', 'Actual Rows', 'Actual Loops',
  'Parent Relationship', 'Parallel Aware', 'Async Capable',
]);

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function isRecord(value: unknown): value is PlanNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function headline(node: PlanNode): string {
  let text = String(node['Node Type'] ?? 'Plan node');
  if (typeof node['Join Type'] === 'string' && node['Node Type'] !== undefined) text = `${node['Join Type']} ${text}`;
  if (node['Index Name'] !== undefined) text += ` using ${node['Index Name']}`;
  if (node['Relation Name'] !== undefined) {
    text += ` on ${node['Relation Name']}`;
    if (node['Alias'] !== undefined && node['Alias'] !== node['Relation Name']) text += ` ${node['Alias']}`;
  }
  return text;
}

function metrics(node: PlanNode): string {
  const parts: string[] = [];
  if (node['Total Cost'] !== undefined) parts.push(`cost ${node['Startup Cost']}..${node['Total Cost']}`);
  if (node['Plan Rows'] !== undefined) parts.push(`est. rows ${node['Plan Rows']}`);
  if (node['Actual Total Time'] !== undefined) parts.push(`actual ${node['Actual Startup Time']}..${node['Actual Total Time']} ms`);
  if (node['Actual Rows'] !== undefined) parts.push(`rows ${node['Actual Rows']} × ${node['Actual Loops'] ?? 1} loops`);
  return parts.join(' · ');
}

function detailRows(node: PlanNode): string {
  const rows = Object.entries(node)
    .filter(([key]) => !HEADLINE_KEYS.has(key))
    .map(([key, value]) => {
      const shown = typeof value === 'string' ? value : JSON.stringify(value);
      return `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(shown ?? '')}</td></tr>`;
    });
  return rows.length ? `<table>${rows.join('')}</table>` : '';
}

/** Depth guard: a hostile or corrupt plan must not blow the stack. */
const MAX_DEPTH = 200;

function renderNode(node: PlanNode, depth: number): string {
  const children = Array.isArray(node['Plans']) ? node['Plans'].filter(isRecord) : [];
  const inner = depth >= MAX_DEPTH
    ? '<p>(deeper nodes omitted)</p>'
    : children.map((child) => renderNode(child, depth + 1)).join('');
  return `<details open class="node"><summary><span class="type">${escapeHtml(headline(node))}</span>`
    + ` <span class="metrics">${escapeHtml(metrics(node))}</span></summary>${detailRows(node)}${inner}</details>`;
}

/** PostgreSQL's FORMAT JSON output is `[{ "Plan": {...}, "Planning Time": .., ... }]`. */
export function renderPlanTree(planJson: unknown): string {
  const top = Array.isArray(planJson) ? planJson[0] : planJson;
  if (!isRecord(top) || !isRecord(top['Plan'])) return '';
  const { Plan: root, ...summary } = top;
  const summaryRows = Object.entries(summary)
    .map(([key, value]) => `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(JSON.stringify(value) ?? '')}</td></tr>`)
    .join('');
  return `${renderNode(root as PlanNode, 0)}${summaryRows ? `<table class="summary">${summaryRows}</table>` : ''}`;
}

const STYLE = `
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em; }
pre { white-space: pre-wrap; font-family: var(--vscode-editor-font-family); }
.node { margin-left: 1.2em; border-left: 1px solid var(--vscode-panel-border); padding-left: .5em; }
.type { font-weight: bold; } .metrics { opacity: .8; }
table { border-collapse: collapse; margin: .2em 0 .4em 1.2em; font-size: .9em; }
th { text-align: left; padding-right: 1em; font-weight: normal; opacity: .7; vertical-align: top; }
.error { color: var(--vscode-errorForeground); }`;

export const htmlTreeRenderer: PlanRenderer = {
  html(payload, cspSource) {
    const tree = payload.planJson === undefined ? '' : renderPlanTree(payload.planJson);
    const raw = payload.planJson === undefined ? ''
      : `<details><summary>Plan JSON</summary><pre>${escapeHtml(JSON.stringify(payload.planJson, null, 2) ?? '')}</pre></details>`;
    return `<!DOCTYPE html><html><head><meta charset="utf-8">`
      + `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'unsafe-inline';">`
      + `<style>${STYLE}</style><title>${escapeHtml(payload.title)}</title></head><body>`
      + `<h2>${escapeHtml(payload.title)}</h2>`
      + (payload.error ? `<p class="error">${escapeHtml(payload.error)}</p>` : '')
      + (payload.markdown ? `<pre class="summary">${escapeHtml(payload.markdown)}</pre>` : '')
      + tree + raw + `</body></html>`;
  },
};
