// SARIF 2.1.0 for GitHub code scanning and other CI viewers. Locations are relative to
// %SRCROOT% (the checked root) so uploads map onto the repository.
import { pathToFileURL } from 'node:url';
import { ruleDocsUrl, REPOSITORY_URL } from '../engine/docs-url';
import type { RuleMeta, Severity } from '../engine/types';
import { positionOf, type FileReport } from './report';

/** What SARIF says about a rule: RuleDefinitions qualify, and so do the descriptors built into the CLI bundle. */
export interface SarifRule {
  meta: Pick<RuleMeta, 'id' | 'description' | 'rationale' | 'severity' | 'category'>;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(reports: readonly FileReport[], rules: readonly SarifRule[], version: string, root: string): string {
  const index = new Map(rules.map((r, i) => [r.meta.id, i]));
  const results = reports.flatMap((r) =>
    r.findings.map((f) => {
      const p = positionOf(r, f);
      return {
        ruleId: f.ruleId,
        ruleIndex: index.get(f.ruleId) ?? -1,
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: encodeURI(r.path), uriBaseId: '%SRCROOT%' },
              region: { startLine: p.line, startColumn: p.column, endLine: p.endLine, endColumn: p.endColumn },
            },
          },
        ],
        ...(f.fixes?.length
          ? {
              fixes: f.fixes.map((x) => ({
                description: { text: x.title },
                artifactChanges: [
                  {
                    artifactLocation: { uri: encodeURI(r.path), uriBaseId: '%SRCROOT%' },
                    replacements: x.edits.map((e) => {
                      const s = r.lines.positionAt(e.start);
                      const en = r.lines.positionAt(e.end);
                      return {
                        deletedRegion: { startLine: s.line + 1, startColumn: s.character + 1, endLine: en.line + 1, endColumn: en.character + 1 },
                        insertedContent: { text: e.newText },
                      };
                    }),
                  },
                ],
              })),
            }
          : {}),
      };
    }),
  );
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ledgerlint',
            version,
            semanticVersion: version,
            informationUri: REPOSITORY_URL,
            rules: rules.map((r) => ({
              id: r.meta.id,
              name: r.meta.id.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: r.meta.description },
              fullDescription: { text: r.meta.rationale },
              helpUri: ruleDocsUrl(r.meta.id),
              help: { text: `${r.meta.description} ${r.meta.rationale}`, markdown: `${r.meta.rationale}\n\n[Documentation](${ruleDocsUrl(r.meta.id)})` },
              defaultConfiguration: { level: LEVEL[r.meta.severity] },
              properties: { category: r.meta.category, tags: ['postgresql', r.meta.category] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(root.endsWith('/') ? root : root + '/').href } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}
