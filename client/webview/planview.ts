/**
 * The plan view's browser script: mounts pev2's `Plan` component on the EXPLAIN JSON the extension
 * embedded in the page. Bundled with Vue, pev2 and Bootstrap's CSS into dist/planview.{js,css}, so the
 * webview needs no network (the CSP allows nothing but this file and its stylesheet).
 */
import { createApp, h } from 'vue';
import { Plan } from 'pev2';
import 'bootstrap/dist/css/bootstrap.min.css';
import 'pev2/dist/pev2.css';

interface EmbeddedPlan {
  /** EXPLAIN (FORMAT JSON) output as text: pev2 parses it itself. */
  planSource: string;
  query: string;
}

function readEmbedded(): EmbeddedPlan | undefined {
  const element = document.getElementById('ledgerlint-plan-data');
  if (!element?.textContent) return undefined;
  try {
    const data = JSON.parse(element.textContent) as Partial<EmbeddedPlan>;
    return typeof data.planSource === 'string' ? { planSource: data.planSource, query: String(data.query ?? '') } : undefined;
  } catch {
    return undefined;
  }
}

/** VS Code marks the webview's body with its theme kind; Bootstrap 5.3 (and so pev2) follows `data-bs-theme`. */
function followTheme(): void {
  const dark = document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast');
  document.documentElement.setAttribute('data-bs-theme', dark ? 'dark' : 'light');
}

function mount(): void {
  followTheme();
  // The theme can change while the panel is open.
  new MutationObserver(followTheme).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  const target = document.getElementById('ledgerlint-pev2');
  const data = readEmbedded();
  if (!target || !data) return;
  target.textContent = '';
  const app = createApp({ render: () => h(Plan, { planSource: data.planSource, planQuery: data.query }) });
  // A plan pev2 cannot read must leave the page's text tree usable, not a blank panel.
  app.config.errorHandler = (error) => {
    target.textContent = `The plan diagram could not be drawn (${String((error as Error)?.message ?? error)}); the text tree below still shows the plan.`;
    document.body.classList.add('pev2-failed');
  };
  app.mount(target);
  document.body.classList.add('pev2-ready');
}

mount();
