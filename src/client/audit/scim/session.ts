// One audit's connection to the SCIM server: every request goes through the rate limit, with a
// bounded answer size and a per-request timeout, retried on 429/5xx honouring Retry-After (the
// provisioning clients' own ScimHttp), and never past the audit's deadline. It remembers every
// user a POST created, so the audit deletes those (and only those) afterwards.
import { readPeerBody, PeerBodyError } from '../../../peer-body.js';
import type { RetryPolicy } from '../../../provisioning/retry.js';
import { ScimHttp, type HttpMethod, type ScimAnswer, type TokenSource } from '../../../provisioning/scim-http.js';
import type { ScimExchange } from '../../../idp/identity-management.js';
import type { AuditClock } from './rate-limit.js';

/** A SCIM answer is a page of users at most: anything larger is cut off and reported. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** The audit's time limit ran out: no more requests, the remaining steps are not run. */
export class DeadlineError extends Error {
  constructor(limitMs: number) {
    super(`the audit's time limit (${Math.round(limitMs / 1000)} s) ran out`);
  }
}

export interface SessionOptions {
  baseUrl: string;
  tokens: TokenSource;
  /** Already rate-limited. */
  fetch: typeof fetch;
  clock: AuditClock;
  retry: RetryPolicy;
  requestTimeoutMs: number;
  /** The whole audit's limit; cleanup gets a little more. */
  timeLimitMs: number;
}

/** Reads the answer under the size bound, so the provisioning client's plain `res.text()` cannot be flooded. */
function boundedFetch(inner: typeof fetch, timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    let body: Buffer;
    try {
      body = await readPeerBody(res, { maxBytes: MAX_ANSWER_BYTES, timeoutMs });
    } catch (err) {
      if (err instanceof PeerBodyError) throw new Error(`the answer is unusable: ${err.message}`);
      throw err;
    }
    const nullBody = res.status === 204 || res.status === 304;
    return new Response(nullBody ? null : new Uint8Array(body), { status: res.status, headers: res.headers });
  };
}

export interface Throttle {
  status: number;
  retryAfter?: string;
  request: string;
}

export class AuditSession {
  /** Users this audit created: SCIM id → userName. */
  readonly created = new Map<string, string>();
  readonly throttles: Throttle[] = [];
  requests = 0;
  private readonly startedAt: number;
  private readonly fetch: typeof fetch;

  constructor(private readonly opts: SessionOptions) {
    this.startedAt = opts.clock.now();
    this.fetch = boundedFetch(opts.fetch, opts.requestTimeoutMs);
  }

  get baseUrl(): string {
    return this.opts.baseUrl;
  }

  /** The audit's deadline has passed (cleanup may run a minute longer). */
  expired(grace = 0): boolean {
    return this.opts.clock.now() > this.startedAt + this.opts.timeLimitMs + grace;
  }

  /** A client with this User-Agent; `grace` lets cleanup run past the deadline. */
  client(userAgent: string, grace = 0, retry: RetryPolicy = this.opts.retry): (method: HttpMethod, path: string, body?: unknown) => Promise<ScimAnswer> {
    const { clock, timeLimitMs } = this.opts;
    const http = new ScimHttp({
      fetch: this.fetch,
      baseUrl: this.opts.baseUrl,
      userAgent,
      tokens: this.opts.tokens,
      retry,
      nowMs: () => clock.now(),
      timeoutMs: this.opts.requestTimeoutMs,
      sleep: (ms) => {
        if (clock.now() + ms > this.startedAt + timeLimitMs + grace) throw new DeadlineError(timeLimitMs);
        return clock.sleep(ms);
      },
    });
    const recorder = {
      record: (exchange: ScimExchange): void => {
        this.requests++;
        const status = exchange.response?.status;
        if (status === 429 || status === 503) {
          const retryAfter = exchange.response?.headers?.['retry-after'];
          this.throttles.push({ status, request: `${exchange.request.method} ${exchange.request.url}`, ...(retryAfter !== undefined && { retryAfter }) });
        }
      },
    };
    return async (method, path, body) => {
      if (this.expired(grace)) throw new DeadlineError(timeLimitMs);
      const answer = await http.send(method, path, body, recorder);
      const id = (answer.body as { id?: unknown } | undefined)?.id;
      if (method === 'POST' && path === '/Users' && answer.status >= 200 && answer.status < 300 && typeof id === 'string') {
        const userName = (answer.body as { userName?: unknown }).userName;
        this.created.set(id, typeof userName === 'string' ? userName : '');
      }
      if (method === 'DELETE' && (answer.status === 204 || answer.status === 200 || answer.status === 404)) {
        this.created.delete(decodeURIComponent(path.slice('/Users/'.length)));
      }
      return answer;
    };
  }
}
