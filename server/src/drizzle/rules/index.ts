// Drizzle-side checks, run by `lintTypeScriptFile` on files that use Drizzle or pg. Their ids are
// catalogue ids; where a SQL rule has the same id it checks the SQL side.
import type { DrizzleCheck } from '../check';
import balanceReadModifyWrite from './balance-read-modify-write';
import drizzleMoneyJsNumber from './drizzle-money-js-number';
import dynamicSqlInjection from './dynamic-sql-injection';
import enumPitfalls from './enum-pitfalls';
import implicitColumns from './implicit-columns';
import ledgerMutation from './ledger-mutation';
import nPlusOneQuery from '../n-plus-one/n-plus-one-query';
import notInSubquery from './not-in-subquery';
import serializableWithoutRetry from './serializable-without-retry';
import unboundedUpdateDelete from './unbounded-update-delete';

export const DRIZZLE_CHECKS: readonly DrizzleCheck[] = [
  drizzleMoneyJsNumber,
  unboundedUpdateDelete,
  notInSubquery,
  ledgerMutation,
  balanceReadModifyWrite,
  serializableWithoutRetry,
  dynamicSqlInjection,
  nPlusOneQuery,
  implicitColumns,
  enumPitfalls,
];
