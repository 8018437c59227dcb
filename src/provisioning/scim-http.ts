// HTTP for the provisioning client: one SCIM request with its bearer token, retried on 429 and
// 5xx (and network failures) with backoff, refreshed once on 401, and every attempt recorded
// as a request/response pair (tokens redacted, bodies truncated) for the job log.
import { HarnessError } from '../errors.js';
import type { ScimExchange } from '../idp/identity-management.js';
import { SCIM_MEDIA_TYPE } from '../scim-protocol/urn.js';
import { isRetryableStatus, retryDelayMs, type RetryPolicy } from './retry.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ExchangeRecorder {
  record(exchange: ScimExchange): void;
}

export interface TokenSource {
  /** A current access token (refreshed first when it has expired). */
  accessToken(): Promise<string>;
  /** After a 401: refresh now and return the new token. */
  refresh(): Promise<string>;
}

export interface ScimHttpOptions {
  fetch: typeof fetch;
  /** The SCIM base, e.g. `https://platform.ringcentral.com/scim/v2`. */
  baseUrl: string;
  userAgent: string;
  tokens: TokenSource;
  retry: RetryPolicy;
  /** Waits between attempts; tests pass one that records instead of waiting. */
  sleep: (ms: number) => Promise<void>;
  nowMs: () => number;
  timeoutMs: number;
}

export interface ScimAnswer {
  status: number;
  body: unknown;
  headers: Headers;
}

const MAX_BODY_CHARS = 4096;

/** Keeps a recorded body small: bodies over 4 KiB of JSON are kept as truncated text. */
export function boundBody(body: unknown): unknown {
  if (body === undefined) return undefined;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (text.length <= MAX_BODY_CHARS) return body;
  return `${text.slice(0, MAX_BODY_CHARS)}… (${text.length} characters)`;
}

function pickHeaders(headers: Headers, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = headers.get(name);
    if (value !== null) out[name] = value;
  }
  return out;
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export class ScimHttp {
  constructor(private readonly opts: ScimHttpOptions) {}

  get baseUrl(): string {
    return this.opts.baseUrl;
  }

  /**
   * Sends `method path` and returns the final answer, whatever its status: the last one when the
   * retries run out. Throws IDM_SCIM_REQUEST only when no answer came at all.
   */
  async send(method: HttpMethod, path: string, body: unknown, recorder: ExchangeRecorder): Promise<ScimAnswer> {
    const { retry, sleep, nowMs } = this.opts;
    const url = `${this.opts.baseUrl}${path}`;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const token = await this.opts.tokens.accessToken();
      const headers: Record<string, string> = {
        accept: `${SCIM_MEDIA_TYPE}, application/json`,
        'user-agent': this.opts.userAgent,
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': SCIM_MEDIA_TYPE }),
      };
      const exchange: ScimExchange = {
        at: new Date(nowMs()).toISOString(),
        request: { method, url, headers: { ...headers, authorization: 'Bearer (redacted)' }, ...(body !== undefined && { body: boundBody(body) }) },
      };
      let answer: ScimAnswer | undefined;
      try {
        const res = await this.opts.fetch(url, {
          method,
          headers,
          redirect: 'manual',
          signal: AbortSignal.timeout(this.opts.timeoutMs),
          ...(body !== undefined && { body: JSON.stringify(body) }),
        });
        answer = { status: res.status, body: await readBody(res), headers: res.headers };
        exchange.response = {
          status: res.status,
          headers: pickHeaders(res.headers, ['content-type', 'location', 'retry-after']),
          ...(answer.body !== undefined && { body: boundBody(answer.body) }),
        };
      } catch (err) {
        exchange.error = describeFailure(err, this.opts.timeoutMs);
      }
      recorder.record(exchange);

      if (answer?.status === 401 && !refreshed) {
        // An access token can expire between our check and the SP's: refresh once, retry at no cost.
        refreshed = true;
        await this.opts.tokens.refresh();
        attempt--;
        continue;
      }
      if (answer && !isRetryableStatus(answer.status)) return answer;
      if (attempt >= retry.maxAttempts) {
        if (answer) return answer;
        throw new HarnessError('IDM_SCIM_REQUEST', `${method} ${url} failed after ${attempt} attempts: ${exchange.error ?? 'no answer'}`, {
          expected: 'an answer from the SP\'s SCIM API',
          received: exchange.error ?? 'no answer',
        });
      }
      await sleep(retryDelayMs(retry, attempt, answer?.headers.get('retry-after'), nowMs()));
    }
  }
}

function describeFailure(err: unknown, timeoutMs: number): string {
  const e = err as Error;
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  return ((e.cause as Error | undefined)?.message ?? e.message) || String(err);
}
