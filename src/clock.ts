// Time is injected everywhere: code under test never reads the wall clock directly.

export interface Clock {
  /** Milliseconds since the epoch, as this clock sees it. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that tests and users can freeze, advance and skew. A side may get its own view
 * (`withSkew`) so the IdP and SP can disagree about the time, as real peers do.
 */
export class ControllableClock implements Clock {
  private frozenAt: number | undefined;
  private offsetMs = 0;

  constructor(private readonly source: Clock = systemClock) {}

  now(): number {
    return (this.frozenAt ?? this.source.now()) + this.offsetMs;
  }

  /** Stops time at `at` (default: the current time). */
  freeze(at?: number | Date | string): this {
    this.frozenAt = at === undefined ? this.source.now() + this.offsetMs : new Date(at).getTime();
    if (Number.isNaN(this.frozenAt)) throw new RangeError(`freeze(): not a date: ${String(at)}`);
    this.offsetMs = 0;
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
    else this.offsetMs += ms;
    return this;
  }

  /** Sets a fixed offset from the source clock (clock skew), replacing any previous one. */
  skew(ms: number): this {
    this.offsetMs = ms;
    return this;
  }

  get skewMs(): number {
    return this.offsetMs;
  }

  /** A child clock that follows this one plus its own adjustable skew. */
  withSkew(ms = 0): ControllableClock {
    return new ControllableClock(this).skew(ms);
  }
}

export function isoInstant(ms: number): string {
  // SAML wants xs:dateTime in UTC; milliseconds are allowed but we keep them off for readability.
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
