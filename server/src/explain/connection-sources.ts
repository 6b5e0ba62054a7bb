/**
 * Where the EXPLAIN connection comes from. Pure functions over texts and env maps so that the language
 * server reads the files and SecretStorage, and these rules stay testable without a workspace.
 *
 * Order: explicit settings, DATABASE_URL in .env, dbCredentials in drizzle.config.ts, libpq PG* variables.
 * A missing password is looked up in ~/.pgpass like libpq does.
 */
import type { ClientConfig } from 'pg';

export type ConnectionSourceName = 'settings' | '.env' | 'drizzle.config.ts' | 'PG* environment';

export interface ConnectionSettings {
  host?: string;
  port?: number | string;
  database?: string;
  user?: string;
  sslmode?: string;
  url?: string;
}

export interface ConnectionInputs {
  settings?: ConnectionSettings;
  /** From VS Code SecretStorage; only used with `settings`. */
  settingsPassword?: string;
  /** Text of the workspace `.env`. */
  envFileText?: string;
  /** Text of `drizzle.config.ts`. */
  drizzleConfigText?: string;
  /** The process environment (PGHOST, PGUSER, ...). */
  env?: Record<string, string | undefined>;
  /** Text of `~/.pgpass` (or the file PGPASSFILE names). */
  pgpassText?: string;
}

export interface ConnectionConfig {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  sslmode?: string;
}

export interface ResolvedConnection {
  source: ConnectionSourceName;
  config: ConnectionConfig;
  /** `user@host:port/database`: safe to show, never contains the password. */
  label: string;
}

const DEFAULT_PORT = 5432;

export function resolveConnection(inputs: ConnectionInputs): ResolvedConnection | undefined {
  const env = inputs.env ?? {};
  const dotenv = inputs.envFileText ? parseDotenv(inputs.envFileText) : {};
  const candidates: Array<[ConnectionSourceName, () => Partial<ConnectionConfig> | undefined]> = [
    ['settings', () => fromSettings(inputs.settings, inputs.settingsPassword)],
    ['.env', () => (dotenv.DATABASE_URL ? parseConnectionUrl(dotenv.DATABASE_URL) : undefined)],
    ['drizzle.config.ts', () => (inputs.drizzleConfigText ? fromDrizzleConfig(inputs.drizzleConfigText, { ...env, ...dotenv }) : undefined)],
    ['PG* environment', () => fromPgEnv(env)],
  ];
  for (const [source, read] of candidates) {
    let partial: Partial<ConnectionConfig> | undefined;
    try {
      partial = read();
    } catch {
      partial = undefined; // a malformed URL in one source must not hide the next one
    }
    if (!partial) continue;
    const config = completeConfig(partial, env);
    if (config.password === undefined && inputs.pgpassText) {
      config.password = lookupPgpass(inputs.pgpassText, config);
    }
    return { source, config, label: connectionLabel(config) };
  }
  return undefined;
}

export function connectionLabel(config: Pick<ConnectionConfig, 'host' | 'port' | 'database' | 'user'>): string {
  const host = config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
  return `${config.user}@${host}:${config.port}/${config.database}`;
}

/** Turns our config into node-pg's, mapping libpq's sslmode onto node-pg's `ssl`. */
export function toPgClientConfig(config: ConnectionConfig): ClientConfig {
  const mode = (config.sslmode ?? '').toLowerCase();
  let ssl: ClientConfig['ssl'];
  if (mode === 'require' || mode === 'no-verify') ssl = { rejectUnauthorized: false };
  else if (mode === 'verify-ca' || mode === 'verify-full') ssl = { rejectUnauthorized: true };
  return { host: config.host, port: config.port, database: config.database, user: config.user, password: config.password, ssl };
}

function fromSettings(settings: ConnectionSettings | undefined, password: string | undefined): Partial<ConnectionConfig> | undefined {
  if (!settings) return undefined;
  const fromUrl = settings.url ? parseConnectionUrl(settings.url) : {};
  const explicit: Partial<ConnectionConfig> = {
    host: settings.host || undefined,
    port: settings.port !== undefined && settings.port !== '' ? Number(settings.port) : undefined,
    database: settings.database || undefined,
    user: settings.user || undefined,
    sslmode: settings.sslmode || undefined,
  };
  if (!settings.url && !explicit.host && !explicit.database) return undefined;
  const merged: Partial<ConnectionConfig> = { ...fromUrl };
  for (const [key, value] of Object.entries(explicit)) {
    if (value !== undefined && !Number.isNaN(value)) (merged as Record<string, unknown>)[key] = value;
  }
  if (password) merged.password = password;
  return merged;
}

function fromPgEnv(env: Record<string, string | undefined>): Partial<ConnectionConfig> | undefined {
  if (!env.PGHOST && !env.PGDATABASE && !env.PGUSER && !env.PGPORT) return undefined;
  return {
    host: env.PGHOST || undefined,
    port: env.PGPORT ? Number(env.PGPORT) : undefined,
    database: env.PGDATABASE || undefined,
    user: env.PGUSER || undefined,
    password: env.PGPASSWORD || undefined,
    sslmode: env.PGSSLMODE || undefined,
  };
}

/** libpq defaults: localhost, 5432, user from the environment, database named like the user. */
function completeConfig(partial: Partial<ConnectionConfig>, env: Record<string, string | undefined>): ConnectionConfig {
  const user = partial.user || env.PGUSER || env.USER || 'postgres';
  const port = partial.port && Number.isFinite(partial.port) ? partial.port : DEFAULT_PORT;
  return {
    host: partial.host || 'localhost',
    port,
    database: partial.database || user,
    user,
    password: partial.password,
    sslmode: partial.sslmode,
  };
}

/** `postgres://user:pass@host:port/db?sslmode=require`, including percent-encoded parts. */
export function parseConnectionUrl(url: string): Partial<ConnectionConfig> | undefined {
  const trimmed = url.trim();
  if (!/^postgres(ql)?:\/\//i.test(trimmed)) return undefined;
  const parsed = new URL(trimmed.replace(/^postgres(ql)?:/i, 'http:'));
  const decode = (s: string) => (s ? decodeURIComponent(s) : undefined);
  const database = decode(parsed.pathname.replace(/^\//, ''));
  const queryHost = parsed.searchParams.get('host') ?? undefined;
  return {
    host: decode(parsed.hostname.replace(/^\[|\]$/g, '')) ?? queryHost,
    port: parsed.port ? Number(parsed.port) : undefined,
    database,
    user: decode(parsed.username),
    password: decode(parsed.password),
    sslmode: parsed.searchParams.get('sslmode') ?? (parsed.searchParams.get('ssl') === 'true' ? 'require' : undefined),
  };
}

/** KEY=value lines; `export`, quotes and trailing comments as dotenv understands them. */
export function parseDotenv(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(rawLine);
    if (!match) continue;
    let value = match[2].trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && value.indexOf(quote, 1) > 0) {
      value = value.slice(1, value.indexOf(quote, 1));
      if (quote === '"') value = value.replace(/\\n/g, '\n');
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    result[match[1]] = value;
  }
  return result;
}

/**
 * Reads `dbCredentials: { url: '...' }`, `{ host, port, user, password, database }` or values written as
 * `process.env.NAME` (looked up in `lookupEnv`). Anything computed is ignored: we never run the config.
 */
export function fromDrizzleConfig(text: string, lookupEnv: Record<string, string | undefined>): Partial<ConnectionConfig> | undefined {
  const start = /dbCredentials\s*:\s*\{/.exec(text);
  if (!start) return undefined;
  const body = balancedBody(text, start.index + start[0].length - 1);
  if (body === undefined) return undefined;
  const values: Record<string, string> = {};
  const property = /([A-Za-z_]+)\s*:\s*((?:'[^']*'|"[^"]*"|`[^`$]*`)|\d+|true|false|process\.env(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\])\s*!?(?:\s*(?:\?\?|\|\|)\s*('[^']*'|"[^"]*"))?)/g;
  for (let m = property.exec(body); m; m = property.exec(body)) {
    const [, key, raw, envName1, envName2, fallback] = m;
    const envName = envName1 ?? envName2;
    let value: string | undefined;
    if (envName) value = lookupEnv[envName] || (fallback ? fallback.slice(1, -1) : undefined);
    else if (/^['"`]/.test(raw)) value = raw.slice(1, -1);
    else value = raw;
    if (value !== undefined) values[key] = value;
  }
  const url = values.url ?? values.connectionString;
  if (url) return parseConnectionUrl(url);
  if (!values.host && !values.database) return undefined;
  return {
    host: values.host,
    port: values.port ? Number(values.port) : undefined,
    user: values.user,
    password: values.password,
    database: values.database,
    sslmode: values.ssl === 'true' ? 'require' : values.sslmode,
  };
}

function balancedBody(text: string, openBrace: number): string | undefined {
  let depth = 0;
  for (let i = openBrace; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(openBrace + 1, i);
  }
  return undefined;
}

/** `hostname:port:database:username:password`, `*` matches anything, `\:` and `\\` are escapes. */
export function lookupPgpass(text: string, config: Pick<ConnectionConfig, 'host' | 'port' | 'database' | 'user'>): string | undefined {
  const wanted = [config.host, String(config.port), config.database, config.user];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const fields = splitPgpassLine(line);
    if (fields.length < 5) continue;
    const matches = wanted.every((value, i) => {
      const field = fields[i];
      if (field.raw === '*') return true;
      // libpq treats a Unix-socket connection as `localhost` in .pgpass.
      if (i === 0 && field.value === 'localhost' && value.startsWith('/')) return true;
      return field.value === value;
    });
    if (matches) return fields.slice(4).map((f) => f.value).join(':');
  }
  return undefined;
}

function splitPgpassLine(line: string): Array<{ value: string; raw: string }> {
  const fields: Array<{ value: string; raw: string }> = [];
  let value = '';
  let raw = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\' && i + 1 < line.length) {
      value += line[i + 1];
      raw += ch + line[i + 1];
      i++;
    } else if (ch === ':' && fields.length < 4) {
      fields.push({ value, raw });
      value = '';
      raw = '';
    } else {
      value += ch;
      raw += ch;
    }
  }
  fields.push({ value, raw });
  return fields;
}

/**
 * Removes secrets from any text we might show or log: passwords inside URLs, `password=...` pairs,
 * and any exact secret the caller knows (the password it passed to the driver).
 */
export function redact(text: string, secrets: Array<string | undefined> = []): string {
  let out = String(text)
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s]*@/gi, '$1:***@')
    .replace(/(password\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&]+)/gi, '$1***');
  for (const secret of secrets) {
    if (secret && secret.length >= 3) out = out.split(secret).join('***');
    // Percent-encoded forms appear in URLs.
    if (secret && secret.length >= 3 && encodeURIComponent(secret) !== secret) {
      out = out.split(encodeURIComponent(secret)).join('***');
    }
  }
  return out;
}
