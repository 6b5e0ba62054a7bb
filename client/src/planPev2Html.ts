/**
 * The plan view page with pev2: the diagram on the left (drawn by dist/planview.js, our esbuild bundle
 * of Vue + pev2), Ledgerlint's ranked findings on the right, and the plain text tree as a fallback.
 *
 * Pure (no `vscode` import) so it is tested in node. The CSP lets in exactly one script, the bundle,
 * by nonce; the plan travels as an inert JSON data block, never as script text.
 */
import { randomBytes } from 'node:crypto';
import { escapeHtml, renderPlanTree, type PlanPayload } from './planHtml';

export interface WebviewAssets {
  /** `webview.cspSource`: the origin webview resources are served from. */
  cspSource: string;
  /** `webview.asWebviewUri(dist/planview.js)` and `.css`. */
  scriptUri: string;
  styleUri: string;
  /** Fresh per page, see `newNonce`. */
  nonce: string;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

export interface FindingView {
  severity: string;
  title: string;
  detail?: string;
  fix?: string;
  share?: number;
}

/** Findings come over JSON-RPC as `unknown[]`: keep the ones with a title, drop anything else. */
export function findingViews(findings: unknown): FindingView[] {
  if (!Array.isArray(findings)) return [];
  return findings.flatMap((f) => {
    if (!f || typeof f !== 'object') return [];
    const r = f as Record<string, unknown>;
    if (typeof r.title !== 'string') return [];
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const share = typeof r.share === 'number' && Number.isFinite(r.share) ? r.share : undefined;
    return [{ severity: text(r.severity) ?? 'info', title: r.title, detail: text(r.detail), fix: text(r.fix), share }];
  });
}

function findingsHtml(findings: FindingView[]): string {
  if (!findings.length) return '<p class="none">No findings: nothing in this plan stands out.</p>';
  const items = findings.map((f) => {
    const severity = ['error', 'warning', 'info'].includes(f.severity) ? f.severity : 'info';
    const share = f.share === undefined ? '' : ` <span class="share">${Math.round(f.share * 100)}% at stake</span>`;
    return `<li class="finding ${severity}"><div class="title"><span class="badge-sev">${severity}</span> ${escapeHtml(f.title)}${share}</div>`
      + (f.detail ? `<div class="detail">${escapeHtml(f.detail)}</div>` : '')
      + (f.fix ? `<pre class="fix">${escapeHtml(f.fix)}</pre>` : '')
      + '</li>';
  });
  return `<ol class="findings">${items.join('')}</ol>`;
}

/** JSON inside `<script type="application/json">`: `<` escaped so no text can close the element. */
function dataBlock(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const STYLE = `
html, body { height: 100%; margin: 0; }
body.ledgerlint-plan { display: flex; font-size: 13px; }
#ledgerlint-pev2 { flex: 1 1 auto; min-width: 0; height: 100vh; display: flex; flex-direction: column; }
aside { flex: 0 0 340px; height: 100vh; overflow: auto; padding: .5em 1em; border-left: 1px solid #ccc; box-sizing: border-box; }
/* A panel beside the editor is narrow: the findings go below the diagram instead of squeezing it. */
@media (max-width: 900px) {
  body.ledgerlint-plan { flex-direction: column; }
  #ledgerlint-pev2 { height: 62vh; }
  aside { flex: 1 1 auto; height: auto; border-left: none; border-top: 1px solid #ccc; }
}
aside h2 { font-size: 1.1em; margin: .3em 0; }
.findings { padding-left: 1.2em; }
.finding { margin-bottom: .8em; }
.finding .title { font-weight: 600; }
.finding .detail { opacity: .85; margin: .2em 0; }
.finding .share { font-weight: normal; opacity: .7; }
.badge-sev { font-size: .75em; text-transform: uppercase; padding: 0 .3em; border-radius: 3px; color: #fff; background: #6c757d; }
.error .badge-sev { background: #c62828; } .warning .badge-sev { background: #b26a00; }
pre.fix { white-space: pre-wrap; background: rgba(127,127,127,.12); padding: .3em .5em; margin: .2em 0; }
.error-text { color: #c62828; }
.tree .node { margin-left: 1em; border-left: 1px solid #ccc; padding-left: .4em; }
.tree table { font-size: .9em; }`;

export function pev2Html(payload: PlanPayload, assets: WebviewAssets): string {
  const nonce = assets.nonce.replace(/[^A-Za-z0-9+/=]/g, '');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // pev2 sizes its panes and tooltips with style attributes.
    `style-src ${assets.cspSource} 'unsafe-inline'`,
    `img-src ${assets.cspSource} data:`,
    `font-src ${assets.cspSource} data:`,
  ].join('; ');
  const hasPlan = payload.planJson !== undefined && payload.planJson !== null;
  const data = hasPlan ? dataBlock({ planSource: JSON.stringify(payload.planJson), query: payload.query ?? '' }) : undefined;
  const tree = hasPlan ? renderPlanTree(payload.planJson) : '';
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">`
    + `<meta http-equiv="Content-Security-Policy" content="${csp};">`
    + `<meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<link rel="stylesheet" href="${escapeHtml(assets.styleUri)}">`
    + `<style>${STYLE}</style><title>${escapeHtml(payload.title)}</title></head>`
    + `<body class="ledgerlint-plan">`
    + `<main id="ledgerlint-pev2">${hasPlan ? '<p>Drawing the plan...</p>' : `<p class="error-text">${escapeHtml(payload.error ?? 'No plan to show.')}</p>`}</main>`
    + `<aside><h2>${escapeHtml(payload.title)}</h2>`
    + (payload.error && hasPlan ? `<p class="error-text">${escapeHtml(payload.error)}</p>` : '')
    + `<h2>Findings</h2>${findingsHtml(findingViews(payload.findings))}`
    + (tree ? `<details class="tree"><summary>Plan as text</summary>${tree}</details>` : '')
    + `</aside>`
    + (data ? `<script type="application/json" id="ledgerlint-plan-data">${data}</script>` : '')
    + (data ? `<script nonce="${nonce}" src="${escapeHtml(assets.scriptUri)}"></script>` : '')
    + `</body></html>`;
}
