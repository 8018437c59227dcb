// How a command that talks to a running harness learns where it is and how to sign in to its
// admin API, the same way in every command: --url, else $SSO_HARNESS_URL, else
// http://localhost:8400; --token, else $SSO_HARNESS_ADMIN_TOKEN. A flag wins over the environment.
import { UsageError } from './command.js';

export const DEFAULT_HARNESS_URL = 'http://localhost:8400';

/** --url has no parseArgs default: the environment comes between the flag and the default. */
export const HARNESS_URL_OPTION = { url: { type: 'string' } } as const;
export const ADMIN_TOKEN_OPTION = { token: { type: 'string' } } as const;

/** The usage lines of --url (and --token), their descriptions starting at `column`. */
export function harnessOptionsUsage(column: number, opts: { token: boolean }): string {
  const line = (flag: string, text: string): string => `  ${flag.padEnd(column - 2)}${text}`;
  const lines = [line('--url URL', `the harness (default $SSO_HARNESS_URL, else ${DEFAULT_HARNESS_URL})`)];
  if (opts.token) {
    lines.push(
      line('--token T', 'the admin token (default $SSO_HARNESS_ADMIN_TOKEN); a token that'),
      line('', 'begins with "-" is written --token=T'),
    );
  }
  return lines.join('\n');
}

/**
 * The harness's base URL (no trailing slash): --url, or `--harness` where a command keeps that
 * older name, else $SSO_HARNESS_URL, else the default. Not an http(s) URL: a UsageError naming
 * where the value came from.
 */
export function harnessUrl(values: { url?: string | undefined; harness?: string | undefined }, env: NodeJS.ProcessEnv): string {
  if (values.url !== undefined && values.harness !== undefined && values.url !== values.harness) {
    throw new UsageError(`--harness is another name for --url, and they differ (${values.harness}, ${values.url}): give one`);
  }
  const [value, source] =
    values.url !== undefined ? [values.url, '--url']
    : values.harness !== undefined ? [values.harness, '--harness']
    : env.SSO_HARNESS_URL ? [env.SSO_HARNESS_URL, 'SSO_HARNESS_URL']
    : [DEFAULT_HARNESS_URL, 'the default'];
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new UsageError(`${source} must be an http(s) URL such as ${DEFAULT_HARNESS_URL}, not ${value}`);
  }
  return value.replace(/\/+$/, '');
}

/** The admin token: --token, else $SSO_HARNESS_ADMIN_TOKEN; neither is a UsageError. */
export function adminToken(values: { token?: string | undefined }, env: NodeJS.ProcessEnv): string {
  const token = values.token ?? env.SSO_HARNESS_ADMIN_TOKEN;
  if (!token) throw new UsageError('no admin token: give --token or set SSO_HARNESS_ADMIN_TOKEN');
  return token;
}
