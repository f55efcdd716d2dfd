/**
 * A circuit breaker for an outbound dependency (SMTP): after `threshold` failures in a row it
 * opens, and calls fail at once, without trying, for `openMs`; then one trial call is let through
 * (half-open): success closes it, failure opens it again. A dead mail server then costs each job one
 * immediate refusal (the queue retries later) instead of a connection timeout per job.
 * Written by hand: ~40 lines, while the libraries for it (opossum and others) bring timers, events
 * and fallbacks Lanes does not use.
 */
export class CircuitOpenError extends Error {
  constructor(
    readonly dependency: string,
    readonly retryInMs: number,
  ) {
    super(`${dependency} is failing: not trying again for ${Math.ceil(retryInMs / 1000)} s`);
    this.name = "CircuitOpenError";
  }
}

export type BreakerState = "closed" | "open" | "half-open";

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private trialRunning = false;

  constructor(
    readonly dependency: string,
    private readonly options: {
      threshold: number;
      openMs: number;
      now?: () => number;
      onOpen?: (error: unknown) => void;
    },
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  get state(): BreakerState {
    if (this.openedAt === null) return "closed";
    return this.now() - this.openedAt >= this.options.openMs ? "half-open" : "open";
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    const state = this.state;
    if (state === "open" || (state === "half-open" && this.trialRunning))
      throw new CircuitOpenError(this.dependency, Math.max(0, this.options.openMs - (this.now() - this.openedAt!)));
    this.trialRunning = state === "half-open";
    try {
      const result = await call();
      this.failures = 0;
      this.openedAt = null;
      return result;
    } catch (error) {
      this.failures++;
      if (state === "half-open" || this.failures >= this.options.threshold) {
        if (this.openedAt === null || state === "half-open") this.options.onOpen?.(error);
        this.openedAt = this.now();
      }
      throw error;
    } finally {
      if (state === "half-open") this.trialRunning = false;
    }
  }
}
