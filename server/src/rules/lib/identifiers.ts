// Identifiers as PostgreSQL sees them: quoted names keep their case, unquoted ones fold to lower
// case, and every name is cut to NAMEDATALEN - 1 = 63 bytes (on a character boundary).

export const MAX_IDENTIFIER_BYTES = 63;

export function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** The name PostgreSQL keeps: at most 63 UTF-8 bytes, never splitting a character. */
export function truncateIdentifier(name: string): string {
  if (utf8Bytes(name) <= MAX_IDENTIFIER_BYTES) return name;
  let out = '';
  let bytes = 0;
  for (const ch of name) {
    const n = utf8Bytes(ch);
    if (bytes + n > MAX_IDENTIFIER_BYTES) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/** The name an identifier token stands for; undefined for `U&"..."` forms, which are left alone. */
export function identifierValue(text: string): { value: string; quoted: boolean } | undefined {
  if (text.startsWith('"')) return text.length >= 2 && text.endsWith('"') ? { value: text.slice(1, -1).replace(/""/g, '"'), quoted: true } : undefined;
  if (/^u&/i.test(text)) return undefined;
  // Unquoted names fold ASCII letters only (UTF-8 databases keep other letters as written).
  return { value: text.replace(/[A-Z]/g, (c) => c.toLowerCase()), quoted: false };
}

/** `LedgerEntries` -> ledger_entries, `amountMinor` -> amount_minor, `HTTPCode` -> http_code. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

export interface DeclaredName {
  /** What the name is, capitalised for messages: Table, Column, Index, ... */
  what: string;
  /** The table a column or constraint belongs to. */
  table?: string;
}

const last = (list: unknown): string | undefined => (Array.isArray(list) ? list.at(-1)?.String?.sval : undefined);

/**
 * The names a statement gives to new objects (as the AST holds them: folded and truncated), keyed
 * by name. References to existing objects are not included: the finding belongs where a name is chosen.
 */
export function declaredNames(ast: any): Map<string, DeclaredName> {
  const out = new Map<string, DeclaredName>();
  const add = (name: unknown, what: string, table?: string) => {
    if (typeof name === 'string' && name && !out.has(name)) out.set(name, { what, table });
  };
  const elements = (elts: unknown, table: string) => {
    for (const e of Array.isArray(elts) ? elts : []) {
      const col = e?.ColumnDef;
      if (col) {
        add(col.colname, 'Column', table);
        for (const c of col.constraints ?? []) add(c?.Constraint?.conname, 'Constraint', table);
      }
      add(e?.Constraint?.conname, 'Constraint', table);
    }
  };
  if (!ast || typeof ast !== 'object') return out;
  const [kind, node] = Object.entries(ast)[0] ?? [];
  const n: any = node;
  switch (kind) {
    case 'CreateStmt':
      add(n.relation?.relname, 'Table');
      elements(n.tableElts, String(n.relation?.relname ?? ''));
      break;
    case 'AlterTableStmt':
      for (const c of n.cmds ?? []) {
        const cmd = c?.AlterTableCmd;
        if (cmd?.subtype === 'AT_AddColumn' || cmd?.subtype === 'AT_AddConstraint') elements([cmd.def], String(n.relation?.relname ?? ''));
      }
      break;
    case 'IndexStmt':
      add(n.idxname, 'Index');
      break;
    case 'ViewStmt':
      add(n.view?.relname, 'View');
      for (const a of n.aliases ?? []) add(a?.String?.sval, 'Column', n.view?.relname);
      break;
    case 'CreateTableAsStmt':
      add(n.into?.rel?.relname, n.objtype === 'OBJECT_MATVIEW' ? 'Materialized view' : 'Table');
      for (const a of n.into?.colNames ?? []) add(a?.String?.sval, 'Column', n.into?.rel?.relname);
      break;
    case 'CreateSeqStmt':
      add(n.sequence?.relname, 'Sequence');
      break;
    case 'CompositeTypeStmt':
      add(n.typevar?.relname, 'Type');
      elements(n.coldeflist, String(n.typevar?.relname ?? ''));
      break;
    case 'CreateEnumStmt':
      add(last(n.typeName), 'Type');
      break;
    case 'DefineStmt':
      add(last(n.defnames), 'Type');
      break;
    case 'CreateDomainStmt':
      add(last(n.domainname), 'Domain');
      break;
    case 'CreateFunctionStmt':
      add(last(n.funcname), n.is_procedure ? 'Procedure' : 'Function');
      break;
    case 'CreateSchemaStmt':
      add(n.schemaname, 'Schema');
      break;
    case 'CreateTrigStmt':
      add(n.trigname, 'Trigger');
      break;
    case 'CreatePolicyStmt':
      add(n.policy_name, 'Policy');
      break;
    case 'RenameStmt':
      add(n.newname, 'New name');
      break;
  }
  return out;
}
