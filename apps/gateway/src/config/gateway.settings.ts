import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadPrivateKey, loadPublicKey } from '@app/snap';
import type { DatabaseTimeouts } from '../database/database.options';
import { boolFromEnv, ConfigurationError, intFromEnv, RawEnv, splitList, validateEnv } from './env-validation';

/** The gateway's own settings (CONTRACT.md "Settings"). Feature modules validate theirs separately. */
export class GatewayEnv {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(intFromEnv)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Transform(intFromEnv)
  @IsInt()
  @Min(0)
  @Max(65535)
  SANDBOX_PORT = 3001;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// connection URL' })
  DATABASE_URL?: string;

  @Transform(intFromEnv)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 20;

  @Transform(boolFromEnv)
  @IsBoolean()
  DB_SKIP_MIGRATIONS = false;

  /** Longest wait for a database connection (a free one from the pool, or a new one): then 503. */
  @Transform(intFromEnv)
  @IsInt()
  @Min(100)
  @Max(60_000)
  DATABASE_CONNECT_TIMEOUT_MS = 5000;

  /** Longest one statement may run (Postgres statement_timeout; the client gives up 0.5 s later): then 503. */
  @Transform(intFromEnv)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DATABASE_STATEMENT_TIMEOUT_MS = 20_000;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'NETZME_BASE_URL must be an http(s) URL such as https://tokoapisnap-stg.netzme.com' })
  NETZME_BASE_URL?: string;

  @IsOptional() @IsString() @MinLength(1) NETZME_CLIENT_ID?: string;
  @IsOptional() @IsString() @MinLength(8) NETZME_CLIENT_SECRET?: string;
  @IsOptional() @IsString() @MinLength(32) NETZME_PRIVATE_KEY?: string;
  @IsOptional() @IsString() @MinLength(8) NETZME_CALLBACK_TOKEN?: string;
  @IsOptional() @IsString() @MinLength(1) NETZME_MERCHANT_ID?: string;
  /** Netzme's public key, for callbacks signed with the SNAP asymmetric signature. */
  @IsOptional() @IsString() @MinLength(32) NETZME_PUBLIC_KEY?: string;

  @Matches(/^\d{5}$/, { message: 'NETZME_CHANNEL_ID must be a 5-digit string' })
  NETZME_CHANNEL_ID = '95221';

  @Transform(intFromEnv)
  @IsInt()
  @Min(100)
  @Max(120000)
  NETZME_TIMEOUT_MS = 15000;

  /** How calls to Netzme travel: undici's keep-alive pool (cheapest), or axios through @nestjs/axios' HttpService. */
  @IsIn(['undici', 'axios'], { message: 'NETZME_HTTP_TRANSPORT must be undici or axios' })
  NETZME_HTTP_TRANSPORT: 'undici' | 'axios' = 'undici';

  @IsOptional() @IsString() CHECKOUT_API_KEYS?: string;
  @IsOptional() @IsString() ADMIN_API_KEYS?: string;
  /** Read-only keys for support staff: everything an admin key may read, nothing it may change. */
  @IsOptional() @IsString() VIEWER_API_KEYS?: string;

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  @IsIn(['json', 'pretty'])
  LOG_FORMAT: 'json' | 'pretty' = 'json';

  @IsString()
  SANDBOX_DATA_DIR = '.data/sandbox';

  @ValidateIf((o: GatewayEnv) => o.PUBLIC_BASE_URL !== undefined)
  @IsUrl({ require_tld: false, require_protocol: true })
  PUBLIC_BASE_URL?: string;
}

export interface NetzmeSettings {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  privateKey: string;
  callbackToken: string;
  merchantId: string;
  publicKey?: string;
  channelId: string;
  timeoutMs: number;
  /** NETZME_HTTP_TRANSPORT. */
  httpTransport: 'undici' | 'axios';
  /** True when the settings are the local sandbox's development credentials. */
  usingSandbox: boolean;
}

export interface GatewayConfig {
  env: GatewayEnv;
  /** The raw environment, for feature modules that validate their own settings. */
  raw: RawEnv;
  production: boolean;
  port: number;
  databaseUrl?: string;
  databasePoolSize: number;
  databaseTimeouts: DatabaseTimeouts;
  skipMigrations: boolean;
  netzme: NetzmeSettings;
  apiKeys: { checkout: string[]; admin: string[]; viewer: string[] };
  publicBaseUrl: string;
}

export const DEV_CHECKOUT_KEY = 'dev_checkout_key';
export const DEV_ADMIN_KEY = 'dev_admin_key';
const DEV_KEYS = [DEV_CHECKOUT_KEY, DEV_ADMIN_KEY];
/** Minimum length of API keys and the callback token in production. */
export const MIN_SECRET_LENGTH = 32;

/**
 * True when NETZME_BASE_URL is unset (the sandbox `npm start` runs) or names a loopback address or
 * a single-label host (a Compose service such as `http://sandbox:3001`). Netzme's own hosts are
 * always fully qualified names, so they never count as local.
 */
export function isLocalSandboxUrl(baseUrl: string | undefined): boolean {
  if (!baseUrl) {
    return true;
  }
  let host: string;
  try {
    host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host) || (/^[a-z0-9-]+$/i.test(host) && !/^\d+$/.test(host));
}

interface SandboxCredentialsFile {
  clientId: string;
  clientSecret: string;
  privateKey: string;
  callbackToken: string;
  merchantId: string;
  netzmePublicKey?: string;
}

function readSandboxCredentials(dir: string): SandboxCredentialsFile | undefined {
  const file = join(resolve(dir), 'credentials.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SandboxCredentialsFile) : undefined;
}

const NETZME_REQUIRED = [
  'NETZME_BASE_URL',
  'NETZME_CLIENT_ID',
  'NETZME_CLIENT_SECRET',
  'NETZME_PRIVATE_KEY',
  'NETZME_CALLBACK_TOKEN',
  'NETZME_MERCHANT_ID',
] as const;

/**
 * Turn the environment into the gateway's typed configuration. Outside production, anything left
 * unset falls back to the local sandbox (its credentials file under SANDBOX_DATA_DIR) and the
 * development API keys; in production every Netzme setting and both key lists are required.
 */
export function loadGatewaySettings(raw: RawEnv): GatewayConfig {
  const env = validateEnv(GatewayEnv, raw);
  const production = env.NODE_ENV === 'production';
  const problems: string[] = [];

  if (production) {
    for (const key of NETZME_REQUIRED) {
      if (!env[key]) {
        problems.push(`${key}: required when NODE_ENV=production (no sandbox defaults in production)`);
      }
    }
    if (splitList(env.CHECKOUT_API_KEYS).length === 0) problems.push('CHECKOUT_API_KEYS: required when NODE_ENV=production');
    if (splitList(env.ADMIN_API_KEYS).length === 0) problems.push('ADMIN_API_KEYS: required when NODE_ENV=production');
    // A short shared secret can be guessed or brute-forced; 32 characters is what `openssl rand -base64 24` gives.
    if (env.NETZME_CALLBACK_TOKEN && env.NETZME_CALLBACK_TOKEN.length < MIN_SECRET_LENGTH) {
      problems.push(`NETZME_CALLBACK_TOKEN: must be at least ${MIN_SECRET_LENGTH} characters in production`);
    }
  }
  const checkout = splitList(env.CHECKOUT_API_KEYS);
  const admin = splitList(env.ADMIN_API_KEYS);
  const viewer = splitList(env.VIEWER_API_KEYS);
  const all = [...checkout, ...admin, ...viewer];
  // The same key in two lists would silently get the widest role: refuse it, in every mode.
  if (new Set(all).size !== all.length) {
    problems.push('CHECKOUT_API_KEYS, ADMIN_API_KEYS and VIEWER_API_KEYS: a key appears twice (in one list or in two); give each role its own keys');
  }
  if (production && all.some((key) => key.length < MIN_SECRET_LENGTH)) {
    problems.push(
      `CHECKOUT_API_KEYS, ADMIN_API_KEYS and VIEWER_API_KEYS: every key must be at least ${MIN_SECRET_LENGTH} characters in production (e.g. openssl rand -hex 24)`,
    );
  }
  const devKeysNamed = all.some((key) => DEV_KEYS.includes(key));
  // The development keys are public (they are in the README): they may only ever guard the local
  // sandbox, whatever NODE_ENV says, so that a gateway pointed at Netzme's hosts cannot be driven with them.
  const localNetzme = isLocalSandboxUrl(env.NETZME_BASE_URL);
  if (devKeysNamed && (production || !localNetzme)) {
    problems.push('the development API keys (dev_checkout_key, dev_admin_key) may only be used against the local sandbox: set your own keys');
  }
  if (!production && !localNetzme && (checkout.length === 0 || admin.length === 0)) {
    problems.push(
      `${checkout.length === 0 ? 'CHECKOUT_API_KEYS' : 'ADMIN_API_KEYS'}: required when NETZME_BASE_URL is not the local sandbox (${env.NETZME_BASE_URL}); the development keys are only accepted against the sandbox`,
    );
  }

  const usingSandbox = !production && NETZME_REQUIRED.some((key) => !env[key]);
  const sandbox = usingSandbox ? readSandboxCredentials(env.SANDBOX_DATA_DIR) : undefined;
  const pick = (value: string | undefined, fallback: string | undefined, name: string): string => {
    const chosen = value ?? fallback;
    if (!chosen && !production) {
      problems.push(
        `${name}: not set, and no sandbox credentials at ${join(env.SANDBOX_DATA_DIR, 'credentials.json')} (start the sandbox first, e.g. with npm start)`,
      );
    }
    return chosen ?? '';
  };
  const netzme: NetzmeSettings = {
    baseUrl: (env.NETZME_BASE_URL ?? `http://127.0.0.1:${env.SANDBOX_PORT}`).replace(/\/$/, ''),
    clientId: pick(env.NETZME_CLIENT_ID, sandbox?.clientId, 'NETZME_CLIENT_ID'),
    clientSecret: pick(env.NETZME_CLIENT_SECRET, sandbox?.clientSecret, 'NETZME_CLIENT_SECRET'),
    privateKey: pick(env.NETZME_PRIVATE_KEY, sandbox?.privateKey, 'NETZME_PRIVATE_KEY'),
    callbackToken: pick(env.NETZME_CALLBACK_TOKEN, sandbox?.callbackToken, 'NETZME_CALLBACK_TOKEN'),
    merchantId: pick(env.NETZME_MERCHANT_ID, sandbox?.merchantId, 'NETZME_MERCHANT_ID'),
    publicKey: env.NETZME_PUBLIC_KEY ?? sandbox?.netzmePublicKey,
    channelId: env.NETZME_CHANNEL_ID,
    timeoutMs: env.NETZME_TIMEOUT_MS,
    httpTransport: env.NETZME_HTTP_TRANSPORT,
    usingSandbox,
  };

  // Catch an unreadable key at boot rather than on the first payment.
  if (netzme.privateKey) {
    try {
      loadPrivateKey(netzme.privateKey);
    } catch {
      problems.push('NETZME_PRIVATE_KEY: not a readable RSA private key (expected PEM, or the bare base64 PKCS#1 body Netzme e-mails)');
    }
  }
  if (netzme.publicKey) {
    try {
      loadPublicKey(netzme.publicKey);
    } catch {
      problems.push('NETZME_PUBLIC_KEY: not a readable RSA public key (expected PEM or base64 DER)');
    }
  }
  // A replica waiting for another's Netzme token refresh waits inside one statement (an advisory lock).
  if (env.DATABASE_STATEMENT_TIMEOUT_MS <= env.NETZME_TIMEOUT_MS) {
    problems.push(
      `DATABASE_STATEMENT_TIMEOUT_MS (${env.DATABASE_STATEMENT_TIMEOUT_MS}) must be greater than NETZME_TIMEOUT_MS (${env.NETZME_TIMEOUT_MS}): a replica waits for another's Netzme token request inside one statement`,
    );
  }
  if (problems.length > 0) {
    throw new ConfigurationError(problems);
  }
  return {
    env,
    raw,
    production,
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    databaseTimeouts: { connectMs: env.DATABASE_CONNECT_TIMEOUT_MS, statementMs: env.DATABASE_STATEMENT_TIMEOUT_MS },
    skipMigrations: env.DB_SKIP_MIGRATIONS,
    netzme,
    apiKeys: {
      checkout: production || checkout.length > 0 ? checkout : [DEV_CHECKOUT_KEY],
      admin: production || admin.length > 0 ? admin : [DEV_ADMIN_KEY],
      viewer,
    },
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${env.PORT}`).replace(/\/$/, ''),
  };
}
