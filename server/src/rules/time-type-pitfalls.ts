import { defineRule } from '../engine/rule';
import type { SqlStatement } from '../sql/statement';
import { typeRefOf } from '../sql/type-name';
import { funcName, nodeSpan } from './lib/ast';

/** A zone written as a bare UTC offset: `+05:00`, `-3`, `UTC+2`, `GMT-01:30`. */
const OFFSET_ZONE = /^\s*(?:utc|gmt)?\s*[+-]\d{1,2}(?::?\d{2})?\s*$/i;

export default defineRule({
  meta: {
    id: 'time-type-pitfalls',
    category: 'time',
    severity: 'warning',
    description: 'Time types and expressions that silently give the wrong instant: `timetz`, `CURRENT_TIME`, precision 0 timestamps (which round up), and `AT TIME ZONE` with a numeric offset (POSIX sign, inverted).',
    rationale:
      '`timetz` is a time of day with an offset but no date, so it cannot follow daylight-saving changes; `CURRENT_TIME` returns one. `timestamp(0)`/`timestamptz(0)` round fractional seconds rather than truncate: 23:59:59.6 is stored as 00:00:00 of the next day, so a payment moves to the next business day, month or statement. `AT TIME ZONE \'+05:00\'` reads the offset as a POSIX zone, where positive means west of Greenwich: it converts to UTC-5, ten hours away from the intended UTC+5. Both were checked on PostgreSQL 18 (test/behaviour/money-claims.test.ts: `\'2024-06-30 23:59:59.6\'::timestamp(0)` gives 2024-07-01 00:00:00, and midnight UTC `AT TIME ZONE \'+05:00\'` gives 19:00 the day before). Use `timestamptz`, `date_trunc(\'second\', ...)` when seconds are wanted, and IANA zone names (`Asia/Karachi`) or `INTERVAL \'+05:00\'`.',
    messages: {
      timetz: '`{{type}}` stores a time of day with a fixed offset and no date, so it cannot follow daylight-saving changes and cannot be compared across days. Use timestamptz (an instant), or time plus an IANA zone name column.',
      currentTime: 'CURRENT_TIME returns timetz (a time of day with an offset, no date). Use CURRENT_TIMESTAMP (or now()) for an instant, or LOCALTIME for a wall-clock time.',
      precisionZero: '`{{type}}` rounds fractional seconds instead of truncating: 23:59:59.6 is stored as 00:00:00 of the next day, moving the record to the next day, month or statement. Keep full precision and use date_trunc(\'second\', ...) where whole seconds are needed.',
      posixOffset: 'AT TIME ZONE {{zone}} is read as a POSIX zone, where positive offsets are west of Greenwich: this converts to the opposite offset of what it says. Use an IANA zone name (e.g. \'Asia/Karachi\') or INTERVAL {{zone}}, which uses the ISO sign.',
    },
    fix: 'quickfix',
    languages: ['sql'],
    examples: {
      incorrect: [{ code: 'CREATE TABLE payouts (id bigint, paid_at timestamptz(0));' }, { code: "SELECT created_at AT TIME ZONE '+05:00' FROM payments;" }],
      correct: [{ code: 'CREATE TABLE payouts (id bigint, paid_at timestamptz);' }, { code: "SELECT created_at AT TIME ZONE 'Asia/Karachi' FROM payments;" }],
    },
  },
  scope: 'statement',
  create(context) {
    const checkType = (typeName: any, stmt: SqlStatement) => {
      if (!typeName?.names) return;
      const { type, span } = typeRefOf(typeName, stmt, context.text);
      if (type.name === 'timetz') context.report({ messageId: 'timetz', span, data: { type: type.written } });
      else if ((type.name === 'timestamp' || type.name === 'timestamptz' || type.name === 'time') && type.mods.length === 1 && type.mods[0] === 0) {
        const newText = type.written.replace(/\s*\(\s*0\s*\)/, '');
        context.report({
          messageId: 'precisionZero',
          span,
          data: { type: type.written },
          fixes: newText !== type.written ? [{ title: 'Keep full precision', edits: [{ ...span, newText }], preferred: true }] : undefined,
        });
      }
    };
    return {
      ColumnDef(ref, stmt) {
        checkType(ref.node.typeName, stmt);
      },
      TypeCast(ref, stmt) {
        checkType(ref.node.typeName, stmt);
      },
      SQLValueFunction(ref, stmt) {
        if (ref.node.op !== 'SVFOP_CURRENT_TIME' && ref.node.op !== 'SVFOP_CURRENT_TIME_N') return;
        const start = stmt.at(ref.node.location ?? 0);
        const span = nodeSpan(stmt, ref.node);
        context.report({ messageId: 'currentTime', span: { start, end: Math.max(span.end, start + 'CURRENT_TIME'.length) } });
      },
      FuncCall(ref, stmt) {
        const call = ref.node;
        if (funcName(call) !== 'timezone' || call.funcformat !== 'COERCE_SQL_SYNTAX') return;
        const zone = call.args?.[0]?.A_Const;
        const value = zone?.sval?.sval;
        if (typeof value !== 'string' || !OFFSET_ZONE.test(value)) return;
        const span = nodeSpan(stmt, call.args[0]);
        context.report({ messageId: 'posixOffset', span, data: { zone: context.text.slice(span.start, span.end) } });
      },
    };
  },
});
