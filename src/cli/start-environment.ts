// The settings of `sso-harness start` that also come from environment variables, as a container
// image sets them. Each variable is the default of one flag: the flag wins, then the config
// file's field (when the file has one), then the variable, then the built-in default. A variable
// set to the empty string counts as unset (compose files write `VAR=` for "not given").
// Each value is checked here, so a bad one stops start-up with one line naming where it came from.
import { isIP } from 'node:net';
import { HarnessError } from '../errors.js';
import { parseStoreSpec } from '../store/open.js';

/** The variables `start` reads, by the flag each stands in for. */
export const START_VARIABLES = {
  port: 'PORT',
  host: 'SSO_HARNESS_HOST',
  baseUrl: 'SSO_HARNESS_BASE_URL',
  adminToken: 'SSO_HARNESS_ADMIN_TOKEN',
  store: 'SSO_HARNESS_STORE',
  config: 'SSO_HARNESS_CONFIG',
  data: 'SSO_HARNESS_DATA',
} as const;

/** A variable's value, or undefined when it is unset or empty. */
export function fromEnvironment(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

export interface StartFlags {
  port?: string | undefined;
  host?: string | undefined;
  'base-url'?: string | undefined;
  data?: string | undefined;
  store?: string | undefined;
}

/** What the config file gave (already checked by its own schema). */
export interface StartFileSettings {
  port?: number | undefined;
  baseUrl?: string | undefined;
  dataDir?: string | undefined;
  adminToken?: string | undefined;
}

export interface StartSettings {
  port: number;
  host?: string;
  baseUrl?: string;
  dataDir?: string;
  store: string;
  adminToken?: string;
}

const invalid = (message: string): HarnessError => new HarnessError('CONFIG_INVALID', message);

/** First given of flag, file, variable: the value and the words that name where it came from. */
function pick<T>(flag: [string, T | undefined], file: [string, T | undefined] | undefined, variable: [string, T | undefined]): [string, T] | undefined {
  for (const candidate of [flag, file, variable]) {
    if (candidate !== undefined && candidate[1] !== undefined) return candidate as [string, T];
  }
  return undefined;
}

function checkPort(source: string, text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw invalid(`${source} must be a port number (0-65535), not ${text}`);
  return port;
}

// A host name as the resolver takes it (RFC 1123 labels), or an IPv4/IPv6 address.
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function checkHost(source: string, host: string): string {
  if (isIP(host) === 0 && !HOST_NAME.test(host)) {
    throw invalid(`${source} must be an interface address or host name to listen on (0.0.0.0 for every interface, 127.0.0.1, ::), not ${host}`);
  }
  return host;
}

function checkBaseUrl(source: string, text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  const fine = url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && !url.search && !url.hash;
  if (!fine) {
    throw invalid(`${source} must be the public http(s) URL people and peers reach the harness at, without query or fragment (e.g. https://sso.example.test or http://localhost:18530), not ${text}`);
  }
  return text;
}

/**
 * Resolves port, host, public URL, data folder, store and admin token from the flags, the config
 * file and the environment, in that order. Throws CONFIG_INVALID naming the flag or variable.
 */
export function resolveStartSettings(flags: StartFlags, file: StartFileSettings | undefined, env: NodeJS.ProcessEnv): StartSettings {
  const v = (name: string): string | undefined => fromEnvironment(env, name);

  const portFrom = pick<string>(['--port', flags.port], file && ['the config file\'s port', file.port?.toString()], [START_VARIABLES.port, v(START_VARIABLES.port)]);
  const port = portFrom ? checkPort(...portFrom) : 8400;

  const hostFrom = pick<string>(['--host', flags.host], undefined, [START_VARIABLES.host, v(START_VARIABLES.host)]);
  const baseFrom = pick<string>(['--base-url', flags['base-url']], file && ['the config file\'s baseUrl', file.baseUrl], [START_VARIABLES.baseUrl, v(START_VARIABLES.baseUrl)]);
  const dataDir = flags.data ?? file?.dataDir ?? v(START_VARIABLES.data);

  // The --store flag keeps its own messages (and exit status) from the store module.
  const storeVariable = v(START_VARIABLES.store);
  const store = flags.store ?? storeVariable ?? 'sqlite';
  if (flags.store === undefined && storeVariable !== undefined) {
    try {
      parseStoreSpec(storeVariable, dataDir ?? '.');
    } catch (err) {
      if (err instanceof HarnessError) throw invalid(`${START_VARIABLES.store}: ${err.message.replace(/^store: /, '')}`);
      throw err;
    }
  }

  const tokenVariable = v(START_VARIABLES.adminToken);
  if (file?.adminToken === undefined && tokenVariable !== undefined && tokenVariable.length < 16) {
    throw invalid(`${START_VARIABLES.adminToken} must be at least 16 characters (e.g. the output of openssl rand -hex 24)`);
  }
  const adminToken = file?.adminToken ?? tokenVariable;

  return {
    port,
    ...(hostFrom && { host: checkHost(...hostFrom) }),
    ...(baseFrom && { baseUrl: checkBaseUrl(...baseFrom) }),
    ...(dataDir !== undefined && { dataDir }),
    store,
    ...(adminToken !== undefined && { adminToken }),
  };
}
