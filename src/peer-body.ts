// Reading the body of a peer's HTTP answer (metadata URLs, token endpoints, SCIM servers) with a
// size cap. The fetch's AbortSignal (its timeout) covers the body too, so a peer that sends its
// headers at once and then trickles the body is cut by the same deadline; this turns that abort,
// like a dropped connection or an oversized body, into one typed failure that each caller
// reports with its own error code, instead of an AbortError escaping as a 500.

export type PeerBodyFailure = 'timeout' | 'too-large' | 'network';

export class PeerBodyError extends Error {
  constructor(
    readonly kind: PeerBodyFailure,
    message: string,
  ) {
    super(message);
    this.name = 'PeerBodyError';
  }
}

/** Whether a fetch (or a body read) failed because its AbortSignal fired: the timeout, as callers set it. */
export function isAbort(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** Why a fetch call itself failed, in a few words: the timeout, or the network error's code. */
export function describeFetchFailure(err: unknown, timeoutMs: number): string {
  if (isAbort(err)) return `no answer within ${timeoutMs} ms`;
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

/**
 * The whole body, at most `maxBytes`. Rejects with a PeerBodyError: `timeout` when the fetch's
 * signal fired while the body was still arriving, `too-large` past the cap (declared or sent),
 * `network` when the connection broke.
 */
export async function readPeerBody(res: Response, opts: { maxBytes: number; timeoutMs: number }): Promise<Buffer> {
  const { maxBytes, timeoutMs } = opts;
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new PeerBodyError('too-large', `declared ${declared} bytes, more than the ${maxBytes} allowed`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new PeerBodyError('too-large', `sent more than the ${maxBytes} bytes allowed`);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof PeerBodyError) throw err;
    if (isAbort(err)) throw new PeerBodyError('timeout', `the body did not arrive within ${timeoutMs} ms`);
    throw new PeerBodyError('network', `the connection broke while the body was read: ${describeFetchFailure(err, timeoutMs)}`);
  }
  return Buffer.concat(chunks);
}
