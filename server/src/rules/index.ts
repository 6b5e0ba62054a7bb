// The rule registry. `npm run new-rule <id>` adds a line here; `npm run check:rules` fails when a
// rule file is missing from this list, or lacks a test or a docs page.
import type { RuleDefinition } from '../engine/rule';
import addCheckValidating from './add-check-validating';
import addColumnRequired from './add-column-required';
import addColumnTableRewrite from './add-column-table-rewrite';
import addForeignKeyValidating from './add-foreign-key-validating';
import addUniquePkExclusionDirectly from './add-unique-pk-exclusion-directly';
import alterColumnTypeRewrite from './alter-column-type-rewrite';
import auditTriggerMissing from './audit-trigger-missing';
import backfillInSchemaMigration from './backfill-in-schema-migration';
import balanceReadModifyWrite from './balance-read-modify-write';
import balanceCheckThenWriteUnlocked from './balance-check-then-write-unlocked';
import blockingMaintenanceOps from './blocking-maintenance-ops';
import concurrentlyInTransaction from './concurrently-in-transaction';
import createIndexNonConcurrently from './create-index-non-concurrently';
import currencyCodeUnconstrained from './currency-code-unconstrained';
import dropColumnOrTable from './drop-column-or-table';
import dynamicSqlInjection from './dynamic-sql-injection';
import enumPitfalls from './enum-pitfalls';
import dateBucketSessionTimezone from './date-bucket-session-timezone';
import doubleEntryBalanceUnenforced from './double-entry-balance-unenforced';
import fkMissingOnDelete from './fk-missing-on-delete';
import forUpdateBlocksFkInserts from './for-update-blocks-fk-inserts';
import hashIndexMisuse from './hash-index-misuse';
import idColumnWithoutFk from './id-column-without-fk';
import idempotencyKeyNotUnique from './idempotency-key-not-unique';
import identifierHygiene from './identifier-hygiene';
import implicitColumns from './implicit-columns';
import indexHygiene from './index-hygiene';
import jsonNotJsonb from './json-not-jsonb';
import jsonbContainmentUnindexed from './jsonb-containment-unindexed';
import keysetPaginationForHistory from './keyset-pagination-for-history';
import ledgerGrantsTooBroad from './ledger-grants-too-broad';
import legacyConstructs from './legacy-constructs';
import ledgerAppendOnlyNotEnforced from './ledger-append-only-not-enforced';
import ledgerFkOnDeleteCascade from './ledger-fk-on-delete-cascade';
import ledgerMutation from './ledger-mutation';
import missingLockTimeout from './missing-lock-timeout';
import multiRowLockUnordered from './multi-row-lock-unordered';
import moneyAmountUnconstrained from './money-amount-unconstrained';
import moneyFloatType from './money-float-type';
import moneyInt32Overflow from './money-int32-overflow';
import moneyType from './money-type';
import noPrimaryKey from './no-primary-key';
import nonIdempotentDdl from './non-idempotent-ddl';
import notInSubquery from './not-in-subquery';
import partialIndexOpportunity from './partial-index-opportunity';
import partitionKeyNotInUnique from './partition-key-not-in-unique';
import preferBigintKeys from './prefer-bigint-keys';
import preferIdentityOverSerial from './prefer-identity-over-serial';
import randomUuidPrimaryKey from './random-uuid-primary-key';
import renameColumnOrTable from './rename-column-or-table';
import rlsMissingOnTenantTable from './rls-missing-on-tenant-table';
import rlsPolicyDefects from './rls-policy-defects';
import securityDefinerUnsafe from './security-definer-unsafe';
import sensitiveCardholderData from './sensitive-cardholder-data';
import sessionAdvisoryLock from './session-advisory-lock';
import sessionStateUnderPooling from './session-state-under-pooling';
import setNotNullScan from './set-not-null-scan';
import serializableWithoutRetry from './serializable-without-retry';
import softDeleteFinancialRecords from './soft-delete-financial-records';
import syntaxError from './syntax-error';
import textTypeChoice from './text-type-choice';
import timeTypePitfalls from './time-type-pitfalls';
import timestampBetween from './timestamp-between';
import timestampWithoutTimeZone from './timestamp-without-time-zone';
import transactionNestingUncommitted from './transaction-nesting-uncommitted';
import unboundedUpdateDelete from './unbounded-update-delete';
import unindexedForeignKey from './unindexed-foreign-key';

export const RULES: readonly RuleDefinition[] = [
  syntaxError,
  moneyFloatType,
  moneyType,
  moneyInt32Overflow,
  moneyAmountUnconstrained,
  currencyCodeUnconstrained,
  timestampWithoutTimeZone,
  timestampBetween,
  timeTypePitfalls,
  dateBucketSessionTimezone,
  ledgerFkOnDeleteCascade,
  fkMissingOnDelete,
  preferIdentityOverSerial,
  unboundedUpdateDelete,
  softDeleteFinancialRecords,
  notInSubquery,
  jsonNotJsonb,
  textTypeChoice,
  enumPitfalls,
  noPrimaryKey,
  preferBigintKeys,
  idColumnWithoutFk,
  implicitColumns,
  idempotencyKeyNotUnique,
  legacyConstructs,
  identifierHygiene,
  ledgerMutation,
  ledgerAppendOnlyNotEnforced,
  doubleEntryBalanceUnenforced,
  auditTriggerMissing,
  balanceReadModifyWrite,
  balanceCheckThenWriteUnlocked,
  multiRowLockUnordered,
  forUpdateBlocksFkInserts,
  serializableWithoutRetry,
  sessionAdvisoryLock,
  sessionStateUnderPooling,
  sensitiveCardholderData,
  rlsMissingOnTenantTable,
  rlsPolicyDefects,
  securityDefinerUnsafe,
  dynamicSqlInjection,
  ledgerGrantsTooBroad,
  createIndexNonConcurrently,
  concurrentlyInTransaction,
  addForeignKeyValidating,
  addCheckValidating,
  setNotNullScan,
  addColumnRequired,
  addColumnTableRewrite,
  alterColumnTypeRewrite,
  addUniquePkExclusionDirectly,
  missingLockTimeout,
  renameColumnOrTable,
  dropColumnOrTable,
  backfillInSchemaMigration,
  blockingMaintenanceOps,
  transactionNestingUncommitted,
  nonIdempotentDdl,
  partitionKeyNotInUnique,
  unindexedForeignKey,
  indexHygiene,
  partialIndexOpportunity,
  jsonbContainmentUnindexed,
  randomUuidPrimaryKey,
  hashIndexMisuse,
  keysetPaginationForHistory,
];

export const RULES_BY_ID: ReadonlyMap<string, RuleDefinition> = new Map(RULES.map((r) => [r.meta.id, r]));
export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.meta.id));
