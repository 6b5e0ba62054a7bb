/**
 * The shadow database's own record of the migrations applied to it (path + SHA-256 of the text, in
 * order), kept in a `_ledgerlint` schema inside that database: it is dropped with the database on a
 * rebuild, so the record cannot disagree with the schema it describes. A restart reads it instead of
 * re-applying everything. `dirty` is set before a batch runs and cleared only when the batch
 * finished, so a crash or a rejected statement halfway through means "rebuild from scratch".
 */
import { createHash } from 'node:crypto';
import type { Client } from 'pg';
import type { MigrationSource } from './apply-migrations';

export interface AppliedMigration {
  path: string;
  sha256: string;
}

/** A name no workspace migration is likely to create; the underscore keeps it out of the way. */
export const RECORD_SCHEMA = '_ledgerlint';

export function migrationHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function asApplied(m: MigrationSource): AppliedMigration {
  return { path: m.path, sha256: migrationHash(m.text) };
}

/** How many of `migrations` are already applied, in order and unchanged. */
export function appliedPrefix(applied: readonly AppliedMigration[], migrations: readonly MigrationSource[]): number {
  let i = 0;
  while (i < applied.length && i < migrations.length && applied[i].path === migrations[i].path && applied[i].sha256 === migrationHash(migrations[i].text)) i++;
  return i;
}

export async function createRecord(c: Client): Promise<void> {
  await c.query(`CREATE SCHEMA IF NOT EXISTS ${RECORD_SCHEMA}`);
  await c.query(`CREATE TABLE IF NOT EXISTS ${RECORD_SCHEMA}.applied_migrations (position integer PRIMARY KEY, path text NOT NULL, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  await c.query(`CREATE TABLE IF NOT EXISTS ${RECORD_SCHEMA}.state (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), dirty boolean NOT NULL)`);
  await setDirty(c, true);
}

/** The record, or undefined when the database has none (never built, or built by an older version). */
export async function readRecord(c: Client): Promise<{ applied: AppliedMigration[]; dirty: boolean } | undefined> {
  const exists = await c.query(`SELECT to_regclass('${RECORD_SCHEMA}.state') IS NOT NULL AND to_regclass('${RECORD_SCHEMA}.applied_migrations') IS NOT NULL AS ok`);
  if (!exists.rows[0]?.ok) return undefined;
  const state = await c.query(`SELECT dirty FROM ${RECORD_SCHEMA}.state`);
  const rows = await c.query(`SELECT position, path, sha256 FROM ${RECORD_SCHEMA}.applied_migrations ORDER BY position`);
  // Positions must be 0..n-1: a gap means the record was written partially.
  const contiguous = rows.rows.every((r: { position: number }, i: number) => r.position === i);
  return {
    applied: rows.rows.map((r: { path: string; sha256: string }) => ({ path: r.path, sha256: r.sha256 })),
    dirty: state.rows.length !== 1 || state.rows[0].dirty !== false || !contiguous,
  };
}

export async function setDirty(c: Client, dirty: boolean): Promise<void> {
  await c.query(`INSERT INTO ${RECORD_SCHEMA}.state (only_row, dirty) VALUES (true, $1) ON CONFLICT (only_row) DO UPDATE SET dirty = excluded.dirty`, [dirty]);
}

export async function recordApplied(c: Client, firstPosition: number, list: readonly AppliedMigration[]): Promise<void> {
  for (let i = 0; i < list.length; i++) {
    await c.query(`INSERT INTO ${RECORD_SCHEMA}.applied_migrations (position, path, sha256) VALUES ($1, $2, $3) ON CONFLICT (position) DO UPDATE SET path = excluded.path, sha256 = excluded.sha256, applied_at = now()`, [firstPosition + i, list[i].path, list[i].sha256]);
  }
  await c.query(`DELETE FROM ${RECORD_SCHEMA}.applied_migrations WHERE position >= $1`, [firstPosition + list.length]);
}
