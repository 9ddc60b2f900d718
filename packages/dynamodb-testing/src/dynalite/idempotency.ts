import { idempotentParameterMismatch } from "./wire-errors.js";

/**
 * How long DynamoDB remembers a `ClientRequestToken`: 10 minutes.
 *
 * @example
 * ```ts
 * new IdempotencyTokens(IDEMPOTENCY_WINDOW_MS, Date.now);
 * ```
 */
export const IDEMPOTENCY_WINDOW_MS = 10 * 60 * 1000;

/**
 * The `ClientRequestToken`s of successful `TransactWriteItems` calls, kept in memory for one
 * server, each with the request it belongs to and what the replay needs (`S`).
 *
 * - A token seen with the same request within the window: the transaction is not applied again;
 *   `replay` answers instead.
 * - A token seen with another request: `IdempotentParameterMismatchException`.
 * - A failed transaction leaves no token behind (as DynamoDB Local does).
 *
 * Requests with the same token run one after the other.
 *
 * @internal
 */
export class IdempotencyTokens<S> {
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { readonly fingerprint: string; readonly expiresAt: number; readonly saved: S }>();
  readonly #running = new Map<string, Promise<unknown>>();

  /**
   * @param windowMs - how long a token is remembered.
   * @param now - the clock, in milliseconds.
   */
  constructor(windowMs: number, now: () => number) {
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /**
   * Runs a request under a token.
   *
   * @param token - the `ClientRequestToken`.
   * @param fingerprint - the request in canonical form.
   * @param execute - applies the request; resolves with the answer and what a replay needs.
   * @param replay - answers a repeated request from what `execute` saved.
   * @returns the answer.
   * @throws {@link WireError} `IdempotentParameterMismatchException` when the token belongs to another request.
   */
  run<T>(
    token: string,
    fingerprint: string,
    execute: () => Promise<{ readonly answer: T; readonly saved: S }>,
    replay: (saved: S) => T,
  ): Promise<T> {
    const previous = this.#running.get(token) ?? Promise.resolve();
    const current = previous
      .catch(() => undefined)
      .then(async () => {
        const entry = this.#lookup(token);
        if (entry !== undefined) {
          if (entry.fingerprint !== fingerprint) {
            throw idempotentParameterMismatch();
          }
          return replay(entry.saved);
        }
        const { answer, saved } = await execute();
        this.#entries.set(token, { fingerprint, expiresAt: this.#now() + this.#windowMs, saved });
        return answer;
      });
    this.#running.set(token, current);
    const forget = (): void => {
      if (this.#running.get(token) === current) {
        this.#running.delete(token);
      }
    };
    current.then(forget, forget);
    return current;
  }

  #lookup(token: string): { readonly fingerprint: string; readonly saved: S } | undefined {
    const now = this.#now();
    // Entries are added in time order with one window, so the expired ones are at the front.
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt > now) {
        break;
      }
      this.#entries.delete(key);
    }
    return this.#entries.get(token);
  }
}
