/**
 * Hover markdown and code lens titles for an EXPLAIN result. Pure: plan and findings in, text out.
 */
import { exclusiveShare, nodeLabel, type Plan, type PlanNode } from './plan-model';
import type { Finding } from './insights';

/**
 * Arguments of the `ledgerlint.showPlanView`, `ledgerlint.explainAnalyze` and `ledgerlint.copyPlanJson`
 * command links: the statement's document and the UTF-16 offset of its start. The links carry them as
 * `command:<id>?<encodeURIComponent(JSON.stringify([args]))>`, which VS Code passes as the first argument.
 */
export interface PlanCommandArgs {
  uri: string;
  offset: number;
}

export interface HoverContext {
  serverVersion: string;
  connectionLabel: string;
  planKind: 'generic' | 'custom' | 'literal';
  /** Where the statement is, for the command links; no links without it. */
  commandArgs?: PlanCommandArgs;
  note?: string;
}

export const MAX_HOVER_FINDINGS = 3;
const MAX_TREE_NODES = 30;

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (share: number) => `${Math.round(share * 100)}%`;
const ms = (n: number) => `${n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1)} ms`;

export function commandLink(title: string, command: string, args: PlanCommandArgs): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify([args]))})`;
}

function rowsOf(node: PlanNode): number {
  return node.actualRows !== undefined ? node.actualRows : node.planRows;
}

export function headerLine(plan: Plan, ctx: HoverContext): string {
  const parts = [plan.analyzed ? '**EXPLAIN ANALYZE**' : '**EXPLAIN**'];
  if (plan.analyzed) parts.push(ms(plan.executionTime ?? plan.root.totalTime ?? 0));
  parts.push(`cost ${int(plan.root.totalCost)}`);
  parts.push(`${int(rowsOf(plan.root))} rows${plan.analyzed ? '' : ' (est.)'}`);
  parts.push(`${ctx.planKind} plan`);
  parts.push(`PostgreSQL ${ctx.serverVersion}`);
  parts.push(`\`${ctx.connectionLabel}\``);
  return parts.join(' · ');
}

function findingLines(findings: Finding[]): string[] {
  return findings.slice(0, MAX_HOVER_FINDINGS).map((f, i) =>
    `${i + 1}. **${f.title}** (${f.severity}, ${pct(f.share)} at stake)  \n   ${f.detail}  \n   Fix: \`${f.fix.replace(/`/g, "'")}\``);
}

function nodeLine(plan: Plan, node: PlanNode): string {
  const share = exclusiveShare(plan, node);
  const rows = plan.analyzed
    ? `rows ${int(rowsOf(node))} (est. ${int(node.planRows * (node.loops || 1))})${node.loops && node.loops > 1 ? ` loops ${int(node.loops)}` : ''}`
    : `rows ${int(node.planRows)} cost ${int(node.totalCost)}`;
  const role = node.subplanName ? `[${node.subplanName}] ` : '';
  return `${pct(share).padStart(4)}  ${'  '.repeat(node.depth)}${role}${nodeLabel(node)}  ${rows}`;
}

export function planTree(plan: Plan): string {
  const lines = plan.nodes.slice(0, MAX_TREE_NODES).map((n) => nodeLine(plan, n));
  if (plan.nodes.length > MAX_TREE_NODES) lines.push(`      ... ${plan.nodes.length - MAX_TREE_NODES} more nodes in the plan view`);
  return ['```text', lines.join('\n'), '```'].join('\n');
}

export function hoverMarkdown(plan: Plan, findings: Finding[], ctx: HoverContext): string {
  const out: string[] = [headerLine(plan, ctx)];
  if (ctx.note) out.push(`_${ctx.note}_`);
  const settings = Object.entries(plan.settings);
  if (settings.length) out.push(`Settings: ${settings.map(([k, v]) => `\`${k}=${v}\``).join(', ')}`);
  if (ctx.planKind === 'generic') {
    out.push('_Generic plan for `$n` parameters: PostgreSQL may pick a better plan for specific values (partial indexes, LIMIT)._');
  }
  if (findings.length) out.push(findingLines(findings).join('\n'));
  else out.push('No plan problems found.');
  out.push(`Share of ${plan.analyzed ? 'time' : 'cost'} per node (own work):`);
  out.push(planTree(plan));
  if (ctx.commandArgs) {
    const args = ctx.commandArgs;
    out.push([
      commandLink('Open plan view', 'ledgerlint.showPlanView', args),
      commandLink('Run EXPLAIN ANALYZE', 'ledgerlint.explainAnalyze', args),
      commandLink('Copy JSON', 'ledgerlint.copyPlanJson', args),
    ].join(' · '));
  }
  return out.join('\n\n') + '\n';
}

/** One line for a code lens: the cost or time, and the top finding if there is one. */
export function codeLensTitle(plan: Plan, findings: Finding[] = []): string {
  const head = plan.analyzed
    ? `EXPLAIN ${ms(plan.executionTime ?? plan.root.totalTime ?? 0)}`
    : `EXPLAIN cost ${int(plan.root.totalCost)}`;
  const top = findings[0];
  return top ? `${head} · ${top.title}` : `${head} · ${int(rowsOf(plan.root))} rows`;
}

/** Shown instead of a plan when there is no connection to explain against. */
export function howToConnectMarkdown(reason?: string): string {
  return [
    '**EXPLAIN**: no database connection' + (reason ? ` (${reason})` : '') + '.',
    'Ledgerlint looks for one in this order:',
    '1. the `ledgerlint.database.*` settings (the password is kept in VS Code\'s secret storage: run **Ledgerlint: Set Database Password**);',
    '2. `DATABASE_URL` in the workspace `.env`;',
    '3. `dbCredentials` in `drizzle.config.ts` (a literal URL/object or `process.env.NAME`);',
    '4. the `PGHOST`, `PGPORT`, `PGDATABASE`, `PGUSER` variables and `~/.pgpass`.',
    'Every session is read-only with a 3 s statement timeout; use a replica or a development database.',
  ].join('\n\n') + '\n';
}
