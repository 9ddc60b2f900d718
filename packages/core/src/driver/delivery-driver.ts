import { InvalidArgumentError } from "../errors/argument-errors.js";
import { isRetryableError } from "../errors/projection-kit-error.js";
import { decodeOffset, encodeOffset } from "../offset-codec.js";
import type { OperationOptions, RequestCost } from "../operation-options.js";
import type { ProjectionEvent } from "../projection-event.js";
import type { ProjectionMessageHandler } from "../projection-message-handler.js";
import { compareVersions, EMPTY_VERSION, type Resource, type Version } from "../resource.js";
import { createEventScope } from "../scopes.js";
import { encodeSequence } from "../sequence-codec.js";
import { streamResource } from "../stream-versions.js";
import { emptyCounts, type DeliveryCounts, type DeliveryOutcome, type DeliveryReport } from "./delivery-report.js";
import type { DriverHooks } from "./driver-hooks.js";
import { backoffDelay, resolveRetryPolicy, sleep, type ResolvedRetryPolicy, type RetryPolicy } from "./retry-policy.js";
import { runInLanes } from "./resource-lanes.js";
import type { SourceEvent } from "./source-event.js";

/**
 * Options of {@link DeliveryDriver}.
 *
 * @example
 * ```ts
 * const options: DeliveryDriverOptions = { concurrency: 16, retry: { maxAttempts: 8 }, attemptTimeoutMs: 5_000 };
 * ```
 */
export interface DeliveryDriverOptions<E extends ProjectionEvent = ProjectionEvent> {
  /** Streams (resources) delivered in parallel by {@link DeliveryDriver.deliverAll}. Default 8. */
  readonly concurrency?: number | undefined;
  /** Backoff for retryable failures. */
  readonly retry?: RetryPolicy | undefined;
  /**
   * The deadline of one attempt when the handler's `timeoutHint` gives none, in milliseconds.
   * Default 0: no deadline of its own.
   */
  readonly attemptTimeoutMs?: number | undefined;
  /** Which errors are worth a retry. Default {@link isRetryableError}. */
  readonly isRetryable?: ((error: unknown) => boolean) | undefined;
  /** Observability hooks (clause G6). A hook that throws is ignored. */
  readonly hooks?: DriverHooks<E> | undefined;
  /** A uniform random number in [0, 1) for the jitter. Default `Math.random`. */
  readonly random?: (() => number) | undefined;
}

/**
 * The result of {@link DeliveryDriver.deliverAll}.
 *
 * @example
 * ```ts
 * const { reports, counts } = await driver.deliverAll(batch);
 * ```
 */
export interface BatchDeliveryReport<E extends ProjectionEvent = ProjectionEvent> {
  /** One report per source event, in the order given. */
  readonly reports: readonly DeliveryReport<E>[];
  /** The counts of this batch. */
  readonly counts: Readonly<DeliveryCounts>;
}

/** The outcomes that leave the event for a later redelivery. */
const UNSETTLED: ReadonlySet<DeliveryOutcome> = new Set(["gap", "held", "failed", "cancelled"]);

/**
 * Plays the engine's role for a {@link ProjectionMessageHandler} (clauses G1–G6): turns source events
 * into (r, c, n), calls `handleEvent`, and decides what a `false` means by the stored version it
 * learns (reported with the conflict, else read): a duplicate is skipped, a gap is held back.
 * Retryable failures are retried with backoff and jitter, each attempt bounded by a deadline from
 * `timeoutHint`; the caller's `signal` cancels. Different streams run in parallel up to a bound,
 * one stream strictly in order. No I/O in the constructor.
 *
 * @example
 * ```ts
 * const driver = new DeliveryDriver(projection, { concurrency: 8 });
 * const { counts } = await driver.deliverAll([
 *   { stream: "account-1", offset: 0, event: opened },
 *   { stream: "account-1", offset: 1, event: deposited },
 *   { stream: "account-1", offset: 1, event: deposited }, // a duplicate: skipped
 * ]);
 * console.log(counts.applied, counts.duplicates); // 2 1
 * ```
 */
export class DeliveryDriver<E extends ProjectionEvent> {
  readonly #handler: ProjectionMessageHandler<E>;
  readonly #concurrency: number;
  readonly #retry: ResolvedRetryPolicy;
  readonly #attemptTimeoutMs: number;
  readonly #isRetryable: (error: unknown) => boolean;
  readonly #hooks: DriverHooks<E>;
  readonly #random: () => number;
  readonly #counts = emptyCounts();
  readonly #known = new KnownVersions();

  constructor(handler: ProjectionMessageHandler<E>, options: DeliveryDriverOptions<E> = {}) {
    if (typeof handler !== "object" || handler === null || typeof handler.handleEvent !== "function" || typeof handler.resourceVersion !== "function") {
      throw new InvalidArgumentError("handler", "expected a ProjectionMessageHandler");
    }
    if (typeof options !== "object" || options === null) {
      throw new InvalidArgumentError("options", "expected an object");
    }
    const concurrency = options.concurrency ?? 8;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new InvalidArgumentError("options.concurrency", `expected a positive integer, got ${String(concurrency)}`);
    }
    const attemptTimeoutMs = options.attemptTimeoutMs ?? 0;
    if (typeof attemptTimeoutMs !== "number" || !(attemptTimeoutMs >= 0)) {
      throw new InvalidArgumentError("options.attemptTimeoutMs", `expected a non-negative number, got ${String(attemptTimeoutMs)}`);
    }
    for (const name of ["isRetryable", "random"] as const) {
      if (options[name] !== undefined && typeof options[name] !== "function") {
        throw new InvalidArgumentError(`options.${name}`, "expected a function");
      }
    }
    if (options.hooks !== undefined && (typeof options.hooks !== "object" || options.hooks === null)) {
      throw new InvalidArgumentError("options.hooks", "expected an object");
    }
    this.#handler = handler;
    this.#concurrency = concurrency;
    this.#retry = resolveRetryPolicy(options.retry);
    this.#attemptTimeoutMs = attemptTimeoutMs;
    this.#isRetryable = options.isRetryable ?? isRetryableError;
    this.#hooks = options.hooks ?? {};
    this.#random = options.random ?? Math.random;
  }

  /** Counts of every delivery this driver made so far. */
  get counts(): Readonly<DeliveryCounts> {
    return { ...this.#counts };
  }

  /**
   * Delivers one event until it settles: applied, duplicate, gap, failed or cancelled.
   *
   * @param source - the event and its place in its stream.
   * @param options - `signal` cancels between and during attempts.
   * @returns the report; never rejects for the handler's failures (see `outcome` and `error`).
   * @throws `InvalidArgumentError` (synchronously checked, before any I/O) for a malformed source.
   *
   * @example
   * ```ts
   * const report = await driver.deliver({ stream: "account-1", offset: 3, event });
   * ```
   */
  async deliver(source: SourceEvent<E>, options?: OperationOptions): Promise<DeliveryReport<E>> {
    const signal = signalOf(options);
    const plan = planDelivery(source);
    return this.#settle(await this.#deliver(source, plan, signal));
  }

  /**
   * Delivers a batch: different streams in parallel (up to `concurrency`), each stream in the
   * order given. After an event of a stream does not apply (gap, failure, cancellation), the rest
   * of that stream in the batch is `held`, so that nothing is applied out of order.
   *
   * @param sources - the events, in source order.
   * @param options - `signal` cancels the whole batch.
   * @returns one report per event, in the order given, and the batch's counts.
   * @throws `InvalidArgumentError` for a malformed source, before anything is delivered.
   *
   * @example
   * ```ts
   * const { reports } = await driver.deliverAll(events, { signal: AbortSignal.timeout(10_000) });
   * const retryLater = reports.filter((r) => !["applied", "duplicate"].includes(r.outcome));
   * ```
   */
  async deliverAll(sources: readonly SourceEvent<E>[], options?: OperationOptions): Promise<BatchDeliveryReport<E>> {
    const signal = signalOf(options);
    if (!Array.isArray(sources)) {
      throw new InvalidArgumentError("sources", "expected an array");
    }
    const plans = sources.map((source, index) => planDelivery(source, `sources[${index}]`));
    const reports: Array<DeliveryReport<E> | undefined> = new Array(sources.length);
    const lanes = new Map<string, number[]>();
    plans.forEach((plan, index) => {
      const lane = lanes.get(plan.key) ?? [];
      lane.push(index);
      lanes.set(plan.key, lane);
    });
    await runInLanes([...lanes.values()], this.#concurrency, async (lane) => {
      let blocked = false;
      for (const index of lane) {
        const source = sources[index] as SourceEvent<E>;
        const plan = plans[index] as DeliveryPlan;
        const report = blocked ? heldReport(source) : await this.#deliver(source, plan, signal);
        blocked ||= UNSETTLED.has(report.outcome);
        reports[index] = this.#settle(report);
      }
    });
    const counts = emptyCounts();
    const done = reports as DeliveryReport<E>[];
    for (const report of done) {
      addTo(counts, report);
    }
    return { reports: done, counts };
  }

  /** Counts a settled delivery and tells the hook, in that order, so the hook sees current counts. */
  #settle(report: DeliveryReport<E>): DeliveryReport<E> {
    addTo(this.#counts, report);
    if (report.storedVersion !== undefined) {
      this.#known.remember(report.source, report.storedVersion);
    }
    this.#hook(() => this.#hooks.onOutcome?.(report));
    return report;
  }

  #hook(call: () => void): void {
    try {
      call();
    } catch {
      // Observability must not change what is delivered.
    }
  }

  async #deliver(source: SourceEvent<E>, plan: DeliveryPlan, signal: AbortSignal | undefined): Promise<DeliveryReport<E>> {
    const started = performance.now();
    const tally: Tally = { attempts: 0, conflicts: 0, retries: 0, reads: 0, requests: 0, readUnits: 0, writeUnits: 0 };
    const report = (outcome: DeliveryOutcome, extra: { storedVersion?: Version | undefined; error?: unknown } = {}): DeliveryReport<E> => ({
      source,
      outcome,
      attempts: tally.attempts,
      conflicts: tally.conflicts,
      retries: tally.retries,
      durationMs: performance.now() - started,
      reads: tally.reads,
      requests: tally.requests,
      readUnits: tally.readUnits,
      writeUnits: tally.writeUnits,
      ...extra,
    });
    let stored: Version | undefined;
    let failures = 0;
    // Conflicts are bounded too: each one means another writer moved the version.
    for (let round = 0; round < this.#retry.maxAttempts * 4; round++) {
      if (isAborted(signal)) {
        return report("cancelled", { storedVersion: stored, error: signal?.reason });
      }
      try {
        if (plan.mode === "sequence" && stored === undefined) {
          // The version this driver last saw is a guess for c: a wrong guess costs one conflict,
          // which reports the stored version; a duplicate is confirmed by a read, never guessed.
          const guess = this.#known.get(plan.key);
          stored = guess !== undefined && compareVersions(guess, plan.next) < 0 ? guess : await this.#read(plan.resource, signal, tally);
        }
        const current = plan.mode === "offset" ? plan.current : (stored as Version);
        if (plan.mode === "sequence" && compareVersions(current, plan.next) >= 0) {
          return report("duplicate", { storedVersion: current });
        }
        let reported: Version | undefined;
        tally.attempts++;
        const applied = await this.#attempt(source, plan.resource, current, plan.next, signal, tally, (version) => {
          reported = version;
        });
        if (applied) {
          return report("applied", { storedVersion: plan.next });
        }
        tally.conflicts++;
        stored = reported ?? (await this.#read(plan.resource, signal, tally));
        this.#hook(() => this.#hooks.onConflict?.({ source, expectedVersion: current, storedVersion: stored as Version }));
        if (compareVersions(stored, plan.next) >= 0) {
          return report("duplicate", { storedVersion: stored });
        }
        if (plan.mode === "offset" && compareVersions(stored, plan.current) < 0) {
          return report("gap", { storedVersion: stored });
        }
        if (plan.mode === "offset") {
          checkOffsetVersion(stored);
        }
        // The stored version is between: another writer moved it; decide again with what we know.
      } catch (error) {
        if (isAborted(signal)) {
          return report("cancelled", { storedVersion: stored, error: signal?.reason });
        }
        failures++;
        if (!this.#retryable(error) || failures >= this.#retry.maxAttempts) {
          return report("failed", { storedVersion: stored, error });
        }
        tally.retries++;
        stored = undefined;
        const delayMs = backoffDelay(this.#retry, failures, this.#random());
        this.#hook(() => this.#hooks.onRetry?.({ source, retry: failures, delayMs, error }));
        try {
          await sleep(delayMs, signal);
        } catch {
          return report("cancelled", { error: signal?.reason });
        }
      }
    }
    return report("failed", { storedVersion: stored, error: new Error("the version kept moving: too many conflicts") });
  }

  #retryable(error: unknown): boolean {
    return (error instanceof DOMException && error.name === "TimeoutError") || this.#isRetryable(error);
  }

  async #attempt(
    source: SourceEvent<E>,
    resource: Resource,
    current: Version,
    next: Version,
    signal: AbortSignal | undefined,
    tally: Tally,
    onStored: (version: Version) => void,
  ): Promise<boolean> {
    const hint = this.#handler.timeoutHint(source.event);
    const timeoutMs = hint > 0 ? hint : this.#attemptTimeoutMs;
    const deadline = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
    const attemptSignal = deadline === undefined ? signal : signal === undefined ? deadline : AbortSignal.any([signal, deadline]);
    const scope = createEventScope({ recordedAt: source.recordedAt, isPrimaryDelivery: true });
    try {
      return await this.#handler.handleEvent(resource, current, next, scope, source.event, {
        signal: attemptSignal,
        onConflict: (conflict) => onStored(conflict.storedVersion),
        onRequest: (cost) => addCost(tally, cost),
      });
    } catch (error) {
      if (isAborted(deadline) && !isAborted(signal)) {
        throw deadline?.reason;
      }
      throw error;
    }
  }

  async #read(resource: Resource, signal: AbortSignal | undefined, tally: Tally): Promise<Version> {
    tally.reads++;
    return this.#handler.resourceVersion(resource, { signal, onRequest: (cost) => addCost(tally, cost) });
  }
}

/** What the driver derives from a source event before any I/O. */
type DeliveryPlan =
  | { readonly mode: "offset"; readonly key: string; readonly resource: Resource; readonly current: Version; readonly next: Version }
  | { readonly mode: "sequence"; readonly key: string; readonly resource: Resource; readonly next: Version };

/**
 * The stored versions this driver learnt last, per stream (bounded, least recently used first
 * out). Only a guess for the next sequence event's current version.
 */
class KnownVersions {
  static readonly LIMIT = 10_000;
  readonly #versions = new Map<string, Version>();

  get(key: string): Version | undefined {
    return this.#versions.get(key);
  }

  remember(source: SourceEvent<ProjectionEvent>, version: Version): void {
    const key = Buffer.from(streamResource(source.stream)).toString("hex");
    this.#versions.delete(key);
    this.#versions.set(key, version);
    if (this.#versions.size > KnownVersions.LIMIT) {
      const oldest = this.#versions.keys().next().value;
      if (oldest !== undefined) this.#versions.delete(oldest);
    }
  }
}

/** The caller's signal, checked for its kind; an aborted one is returned, not thrown. */
function signalOf(options: OperationOptions | undefined): AbortSignal | undefined {
  if (options === undefined || options === null) {
    return undefined;
  }
  if (typeof options !== "object") {
    throw new InvalidArgumentError("options", "expected an object");
  }
  const { signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError("options.signal", "expected an AbortSignal");
  }
  return signal;
}

function planDelivery<E extends ProjectionEvent>(source: SourceEvent<E>, argument = "source"): DeliveryPlan {
  if (typeof source !== "object" || source === null) {
    throw new InvalidArgumentError(argument, "expected a source event");
  }
  if (typeof source.event !== "object" || source.event === null) {
    throw new InvalidArgumentError(`${argument}.event`, "expected an event");
  }
  const resource = streamResource(source.stream);
  const key = Buffer.from(resource).toString("hex");
  if (source.offset !== undefined && source.sequence === undefined) {
    const offset = typeof source.offset === "bigint" ? source.offset : Number.isSafeInteger(source.offset) ? BigInt(source.offset) : -1n;
    if (offset < 0n) {
      throw new InvalidArgumentError(`${argument}.offset`, `expected a non-negative integer, got ${String(source.offset)}`);
    }
    return { mode: "offset", key, resource, current: offset === 0n ? EMPTY_VERSION : encodeOffset(offset - 1n), next: encodeOffset(offset) };
  }
  if (source.sequence !== undefined && source.offset === undefined) {
    return { mode: "sequence", key, resource, next: encodeSequence(source.sequence) };
  }
  throw new InvalidArgumentError(argument, "expected exactly one of offset and sequence");
}

/** Whether a signal has aborted; a function, so that the compiler does not assume it never changes. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function checkOffsetVersion(version: Version): void {
  decodeOffset(version);
}

function heldReport<E extends ProjectionEvent>(source: SourceEvent<E>): DeliveryReport<E> {
  return { source, outcome: "held", attempts: 0, conflicts: 0, retries: 0, reads: 0, requests: 0, readUnits: 0, writeUnits: 0, durationMs: 0 };
}

/** What one delivery did so far. */
interface Tally {
  attempts: number;
  conflicts: number;
  retries: number;
  reads: number;
  requests: number;
  readUnits: number;
  writeUnits: number;
}

/** Adds a request the backend reported; units it did not report count as none. */
function addCost(tally: Tally, cost: RequestCost): void {
  tally.requests++;
  tally.readUnits += finiteOrZero(cost.readUnits);
  tally.writeUnits += finiteOrZero(cost.writeUnits);
}

function finiteOrZero(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}

const OUTCOME_COUNTER: Record<DeliveryOutcome, keyof DeliveryCounts> = {
  applied: "applied",
  duplicate: "duplicates",
  gap: "gaps",
  held: "held",
  failed: "failed",
  cancelled: "cancelled",
};

function addTo(counts: DeliveryCounts, report: DeliveryReport<ProjectionEvent>): void {
  counts.delivered++;
  counts[OUTCOME_COUNTER[report.outcome]]++;
  counts.conflicts += report.conflicts;
  counts.retries += report.retries;
  counts.attempts += report.attempts;
  counts.reads += report.reads;
  counts.requests += report.requests;
  counts.readUnits += report.readUnits;
  counts.writeUnits += report.writeUnits;
}
