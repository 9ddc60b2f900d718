import { isRetryableError, streamResource, type ProjectionMessageHandler, type Version } from "@projectionkit/core";
import { createDynamoDBLocalClient } from "@projectionkit/dynamodb-testing";
import { memoryProjection } from "@projectionkit/memory";
import { splitCommit, withoutVersionCheck, type Breakage } from "./breakage.js";
import type { Deposit } from "./deposit-history.js";
import { createLedgerTables, ledgerTables, readDynamoLedger, type LedgerTables } from "./dynamo-ledger.js";
import { dynamoLedgerProjection } from "./dynamo-ledger-projection.js";
import { emptyFaultCounts, InjectedFault, type FaultCounts, type FaultRates } from "./fault-plan.js";
import { memoryFaultHooks } from "./memory-faults.js";
import { applyDeposit, ledgerContents, memoryLedgerHandler, type LedgerState } from "./memory-ledger.js";
import type { ReadModelSnapshot } from "./read-model-check.js";
import { injectWireFaults, meterRequests, type WireMeter } from "./wire-faults.js";

/** The backends of the soak. */
export type BackendName = "memory" | "dynalite" | "dynamodb-local";

/** What one soak worker projects through. */
export interface SoakWorker {
  readonly projection: ProjectionMessageHandler<Deposit>;
  /** Which errors its driver retries. */
  readonly isRetryable: (error: unknown) => boolean;
  /** Releases its client, if any. */
  close(): void;
}

/** One backend's store for a soak run: workers over it, fault counts, and the read model at the end. */
export interface SoakBackend {
  readonly name: BackendName;
  /** What to call a request in the figures: a request on the wire, or a commit attempt in memory. */
  readonly requestUnit: string;
  /** Faults injected so far, by kind, over all workers. */
  readonly injected: FaultCounts;
  /** Requests (or commit attempts) so far, by command. */
  readonly requests: ReadonlyMap<string, number>;
  /**
   * Sets up worker `index`: its own client with its own faults (memory: the shared projection).
   *
   * @param index - the worker's number.
   * @param random - the worker's random generator, for its faults.
   */
  worker(index: number, random: () => number): SoakWorker;
  /** Reads the read model and the streams' versions back, without faults. */
  snapshot(streams: readonly string[]): Promise<ReadModelSnapshot>;
  /** Releases the clients. */
  close(): void;
}

/** What every backend takes. */
export interface SoakBackendOptions {
  readonly rates: FaultRates;
  readonly breakage: Breakage;
  /** The random generator of the memory adapter's commit faults (one projection for all workers). */
  readonly random: () => number;
}

/**
 * The memory adapter: one `memoryProjection` that all workers' drivers share (its state is the
 * store), with the faults in its commit hooks; commit attempts count as requests.
 *
 * @param options - rates, variant, random generator.
 * @returns the backend.
 *
 * @example
 * ```ts
 * const backend = memoryBackend({ rates: SOAK_FAULT_RATES, breakage: "none", random: seededRandom(1) });
 * ```
 */
export function memoryBackend(options: SoakBackendOptions): SoakBackend {
  const injected = emptyFaultCounts();
  const requests = new Map<string, number>([["commit", 0]]);
  const faults = memoryFaultHooks({ rates: options.rates, random: options.random, injected });
  const hooks = {
    beforeCommit: (context: Parameters<NonNullable<typeof faults.beforeCommit>>[0]) => {
      requests.set("commit", (requests.get("commit") ?? 0) + 1);
      return faults.beforeCommit?.(context);
    },
    afterCommit: faults.afterCommit,
  };
  const split = options.breakage === "split";
  const store = memoryProjection(memoryLedgerHandler({ apply: !split }), { hooks, freeze: true });
  // The split variant keeps the read model beside the projection, written after its commit.
  const beside: Record<string, { balance: number; deposits: number; rows: Record<string, { amount: number; applied: number }> }> = {};
  const projection: ProjectionMessageHandler<Deposit> =
    options.breakage === "double"
      ? withoutVersionCheck(store)
      : split
        ? splitCommit(store, async (event) => applyDeposit(beside, event))
        : store;
  return {
    name: "memory",
    requestUnit: "commit attempts",
    injected,
    requests,
    worker: () => ({ projection, isRetryable: (error) => isRetryableError(error) || error instanceof InjectedFault, close: () => {} }),
    snapshot: async (streams) => {
      const versions = new Map<string, Version>();
      for (const stream of streams) {
        versions.set(stream, await store.resourceVersion(streamResource(stream)));
      }
      return { ...ledgerContents(split ? (beside as LedgerState) : store.state), versions };
    },
    close: () => {},
  };
}

/**
 * A DynamoDB emulator at `endpoint` (dynalite or DynamoDB Local): fresh tables, and per worker its
 * own client (`maxAttempts: 1`) with a request meter and the faults as middleware, and its own
 * `dynamoProjection` on the shared tables.
 *
 * @param name - which emulator it is, for the figures.
 * @param endpoint - its endpoint.
 * @param options - rates, variant (the random generator is per worker here).
 * @returns the backend, once its tables exist.
 *
 * @example
 * ```ts
 * await using dynalite = await startDynalite();
 * const backend = await dynamoBackend("dynalite", dynalite.endpoint, { rates, breakage: "none", random });
 * ```
 */
export async function dynamoBackend(name: "dynalite" | "dynamodb-local", endpoint: string, options: SoakBackendOptions): Promise<SoakBackend> {
  const admin = createDynamoDBLocalClient(endpoint, { maxAttempts: 3 });
  const tables: LedgerTables = ledgerTables("soak");
  await createLedgerTables(admin, tables);
  const injected = emptyFaultCounts();
  const meter: WireMeter = { requests: new Map() };
  const clients = [admin];
  return {
    name,
    requestUnit: "requests",
    injected,
    requests: meter.requests,
    worker: (_index, random) => {
      const client = createDynamoDBLocalClient(endpoint, { maxAttempts: 1 });
      clients.push(client);
      meterRequests(client, meter);
      injectWireFaults(client, { rates: options.rates, random, injected });
      const projection = dynamoLedgerProjection(client, tables, options.breakage);
      return { projection, isRetryable: isRetryableError, close: () => client.destroy() };
    },
    snapshot: (streams) => readDynamoLedger(admin, tables, streams),
    close: () => {
      for (const client of clients) client.destroy();
    },
  };
}
