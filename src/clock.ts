// Time is injected everywhere: code under test never reads the wall clock directly.

export interface Clock {
  /** Milliseconds since the epoch, as this clock sees it. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that tests and users can freeze, advance and set off from its source. A side may get
 * its own view (`withOffset`) so the IdP and SP can disagree about the time, as real peers do.
 * This is the simulated offset of a clock; what a side tolerates when it compares times (the
 * allowed clock skew) is a setting of that side, in seconds.
 */
export class ControllableClock implements Clock {
  private frozenAt: number | undefined;
  private offset = 0;

  constructor(private readonly source: Clock = systemClock) {}

  now(): number {
    return (this.frozenAt ?? this.source.now()) + this.offset;
  }

  /** Stops time at `at` (default: the current time). */
  freeze(at?: number | Date | string): this {
    this.frozenAt = at === undefined ? this.source.now() + this.offset : new Date(at).getTime();
    if (Number.isNaN(this.frozenAt)) throw new RangeError(`freeze(): not a date: ${String(at)}`);
    this.offset = 0;
    return this;
  }

  unfreeze(): this {
    this.frozenAt = undefined;
    return this;
  }

  get frozen(): boolean {
    return this.frozenAt !== undefined;
  }

  /** Moves time forward (or back, with a negative value) by `ms`. */
  advance(ms: number): this {
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offset += ms;
    return this;
  }

  /** Sets a fixed offset from the source clock, in ms (negative: behind), replacing any previous one. */
  setOffset(ms: number): this {
    this.offset = ms;
    return this;
  }

  /** The offset from the source clock, in ms. */
  get offsetMs(): number {
    return this.offset;
  }

  /** A child clock that follows this one plus its own adjustable offset, in ms. */
  withOffset(ms = 0): ControllableClock {
    return new ControllableClock(this).setOffset(ms);
  }

  /** The older name of `setOffset` (kept for existing callers). */
  skew(ms: number): this {
    return this.setOffset(ms);
  }

  /** The older name of `offsetMs` (kept for existing callers). */
  get skewMs(): number {
    return this.offsetMs;
  }

  /** The older name of `withOffset` (kept for existing callers). */
  withSkew(ms = 0): ControllableClock {
    return this.withOffset(ms);
  }
}

export function isoInstant(ms: number): string {
  // SAML wants xs:dateTime in UTC; milliseconds are allowed but we keep them off for readability.
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
