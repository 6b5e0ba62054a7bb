// Plain date literals in range bounds (`'2024-06-30'`, `DATE '2024-06-30'`, `'2024-06-30'::date`)
// and the day after them, for turning closed BETWEEN ranges into half-open ones.

export interface DateLiteral {
  /** The A_Const node holding the string (its location is the string token). */
  constNode: any;
  year: number;
  month: number;
  day: number;
}

const DATE_RE = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/;

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `'2024-06-30'` -> { 2024, 6, 30 }; anything that is not a real calendar date -> undefined. */
export function parseDate(text: string): { year: number; month: number; day: number } | undefined {
  const m = DATE_RE.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

/** The calendar day after a date, as `YYYY-MM-DD` (month and year ends, leap years). */
export function nextDay(d: { year: number; month: number; day: number }): string {
  let { year, month, day } = d;
  day++;
  if (day > daysInMonth(year, month)) {
    day = 1;
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** A bound that is a plain date literal, untyped or typed as `date`; undefined otherwise. */
export function dateLiteral(node: any): DateLiteral | undefined {
  let constNode = node?.A_Const ? node : undefined;
  const cast = node?.TypeCast;
  if (cast) {
    const names: any[] = cast.typeName?.names ?? [];
    const type = String(names[names.length - 1]?.String?.sval ?? '').toLowerCase();
    if (type !== 'date' || cast.typeName?.arrayBounds) return undefined;
    constNode = cast.arg?.A_Const ? cast.arg : undefined;
  }
  const sval = constNode?.A_Const?.sval?.sval;
  if (typeof sval !== 'string') return undefined;
  const d = parseDate(sval);
  return d ? { constNode, ...d } : undefined;
}

/** A lower bound the fix may repeat as-is: a literal or a query parameter, possibly cast. */
export function isLiteralOrParam(node: any): boolean {
  const inner = node?.TypeCast ? node.TypeCast.arg : node;
  if (inner?.ParamRef) return true;
  const c = inner?.A_Const;
  return !!c && !c.isnull;
}
