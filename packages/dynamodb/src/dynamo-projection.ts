import type { DynamoDBClient, TransactWriteItem } from "@aws-sdk/client-dynamodb";
import {
  InvalidArgumentError,
  ProjectionHandlerBase,
  type BatchDelivery,
  type BatchOptions,
  type BatchResult,
  type CheckedOptions,
  type EventBatchCall,
  type EventCall,
  type Identity,
  type ProjectionCompactScope,
  type ProjectionEvent,
  type ProjectionEventScope,
  type ProjectionMessageHandler,
  type Resource,
  type Version,
} from "@projectionkit/core";
import { requireClient, requireTableName, resolveAdapterOptions, type DynamoAdapterOptions } from "./adapter-options.js";
import type { DynamoProjectionHandler, EventDelivery } from "./dynamo-projection-handler.js";
import { DynamoResourceRepository } from "./dynamo-resource-repository.js";
import { planBatch, type BatchRun } from "./event-batch.js";
import { requireTransactItems } from "./transact-items.js";
import { versionItemKey } from "./table-layout.js";
import { VersionCommitter, type PreparedCommit } from "./version-committer.js";

/**
 * Options of {@link dynamoProjection}: those of the version store (all of them apply; none is
 * ignored).
 *
 * @example
 * ```ts
 * const options: DynamoProjectionOptions = { keySchemas: { Balances: ["account"] } };
 * ```
 */
export type DynamoProjectionOptions = DynamoAdapterOptions;

/**
 * A projection bound to DynamoDB: a {@link ProjectionMessageHandler} for engines, plus batching
 * and the version store it uses.
 *
 * @typeParam E - the events it consumes.
 *
 * @example
 * ```ts
 * const projection: DynamoProjection<AccountEvent> = dynamoProjection(client, "ProjectionVersions", balances);
 * await projection.handleEvent(r, c, n, createEventScope(), event);
 * ```
 */
export interface DynamoProjection<E extends ProjectionEvent = ProjectionEvent> extends ProjectionMessageHandler<E> {
  /** The identity the handler declared. */
  readonly identity: Identity;
  /** The version store of this projection (same client, table, handler key and options). */
  readonly resourceRepository: DynamoResourceRepository;
  /**
   * Applies several consecutive events of one resource with as few requests as possible (B1–B3,
   * D10, D16): each transaction covers a run of events, from the version before its first to the
   * version after its last, and the adapter starts a new one where DynamoDB's limits (100 actions,
   * 4 MB, one action per item) would be crossed. Events without items cost nothing extra: a run of
   * them is one single-item write. When the handler offers `handleEvents`, each run's actions come
   * from one call of it (coalesced: 200 deposits into one balance are one transaction); otherwise
   * they are the concatenated actions of each event's `handleEvent`.
   *
   * The actions of every run, and every request, are computed and checked before anything is sent.
   * Requests are sent in order and the batch stops at the first that does not commit; those before
   * it stay committed. A run applies as a unit: a conflict or error stops the batch at the run's
   * first delivery. An event whose actions cannot be had (the handler throws) or do not fit a
   * transaction alone stops the batch there, after the runs before it are committed. The promise
   * rejects only for bad arguments, before any request; everything else is in the result.
   *
   * @param resource - the resource all events belong to.
   * @param deliveries - the events in order, each with its versions and scope.
   * @param options - an abort signal, and `onRequest` for the cost of each request.
   * @returns how many events were applied, how many requests it took and, if not all, where and
   *   why it stopped.
   */
  handleEventBatch(resource: Resource, deliveries: readonly BatchDelivery<E>[], options?: BatchOptions): Promise<BatchResult>;
}

/**
 * Binds a {@link DynamoProjectionHandler} to a client and a version table, and returns a
 * {@link ProjectionMessageHandler} (D4–D8). No I/O happens here (D12).
 *
 * For each event the handler's actions and the version write (action 0, conditioned on the
 * stored version being `current`) go in one `TransactWriteItems`; an event without actions is one
 * single-item conditional write. A stale or redelivered event resolves `false` and writes nothing;
 * the stored version is reported through `onConflict` without another read (H7). A response that
 * never came is retried with the same token, so a commit is never taken for a conflict and never
 * applied twice (D8). `handleEventBatch` commits runs of consecutive events in as few requests as
 * DynamoDB's limits allow, coalesced by the handler's `handleEvents` when it has one (D10, D16).
 * Arguments and options are checked before any I/O by core's `ProjectionHandlerBase` (E1, E2, H3).
 *
 * @param client - the DynamoDB client (`@aws-sdk/client-dynamodb`, a peer dependency).
 * @param table - the version table (see `createTable`); it may hold many projections.
 * @param handler - the projection logic.
 * @param options - see {@link DynamoAdapterOptions}.
 * @returns the projection.
 * @throws `InvalidConfigurationError` or `InvalidArgumentError` for a bad handler, client, table
 *   or option.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
 * import { createEventScope, streamEventVersions } from "@projectionkit/core";
 * import { createTable, dynamoProjection } from "@projectionkit/dynamodb";
 *
 * const client = new DynamoDBClient({});
 * await createTable(client, "ProjectionVersions");
 * const projection = dynamoProjection(client, "ProjectionVersions", balances);
 * const { resource, current, next } = streamEventVersions("acc-1", 0);
 * await projection.handleEvent(resource, current, next, createEventScope(), event); // true
 * ```
 */
export function dynamoProjection<E extends ProjectionEvent>(
  client: DynamoDBClient,
  table: string,
  handler: DynamoProjectionHandler<E>,
  options?: DynamoProjectionOptions,
): DynamoProjection<E> {
  return new BoundDynamoProjection(client, table, handler, options);
}

class BoundDynamoProjection<E extends ProjectionEvent> extends ProjectionHandlerBase<E> implements DynamoProjection<E> {
  readonly #client: DynamoDBClient;
  readonly #handler: DynamoProjectionHandler<E>;
  readonly #committer: VersionCommitter;
  readonly resourceRepository: DynamoResourceRepository;

  constructor(client: DynamoDBClient, table: string, handler: DynamoProjectionHandler<E>, options: DynamoProjectionOptions | undefined) {
    const checkedClient = requireClient(client);
    super(handler);
    this.#client = checkedClient;
    if (typeof handler.handleEvent !== "function") {
      throw new InvalidArgumentError("handler.handleEvent", "expected a function");
    }
    if (handler.handleEvents !== undefined && typeof handler.handleEvents !== "function") {
      throw new InvalidArgumentError("handler.handleEvents", "expected a function, or nothing");
    }
    this.#handler = handler;
    this.#committer = new VersionCommitter(this.#client, resolveAdapterOptions(requireTableName(table), options));
    this.resourceRepository = new DynamoResourceRepository(this.#client, this.identity.key, table, options);
  }

  protected async _handleEvent({ resource, current, next, scope, event, signal, onConflict, onRequest }: EventCall<E>): Promise<boolean> {
    const key = this.#key(resource);
    const items = checkedItems(await this.#handler.handleEvent(scope, event, { signal }), "handler.handleEvent()");
    const prepared = await this.#committer.prepare({ resource, key, current, next, items, signal, onConflict, onRequest });
    return this.#committer.send(prepared);
  }

  protected override async _handleEventBatch({ resource, deliveries, signal, onRequest }: EventBatchCall<E>): Promise<BatchResult> {
    const key = this.#key(resource);
    // Key schemas the actions need are learnt before any budget sees them (D15).
    const keySchemas = this.#committer.batchKeySchemas();
    const learning = async (items: readonly TransactWriteItem[]) => {
      await this.#committer.learnKeySchemasInto(keySchemas, items, signal, onRequest);
      return items;
    };
    const plan = await planBatch(deliveries, {
      itemsOf: (index) => {
        const { scope, event } = deliveries[index] as (typeof deliveries)[number];
        return this.#items(scope, event, signal, `handler.handleEvent() for deliveries[${index}]`).then(learning);
      },
      itemsOfRun:
        this.#handler.handleEvents === undefined ? undefined : (first, count) => this.#runItems(deliveries.slice(first, first + count), first, signal).then(learning),
      budgetFor: (current, next) => this.#committer.planningBudget(key, current, next, keySchemas),
    });
    // Every request is built and checked before the first is sent; one that fails cuts the plan.
    const stored: Array<Version | undefined> = [];
    const prepared: Array<{ run: BatchRun; commit: PreparedCommit }> = [];
    let failure = plan.failure;
    for (const run of plan.runs) {
      const index = prepared.length;
      try {
        const commit = await this.#committer.prepare({
          resource,
          key,
          current: run.current,
          next: run.next,
          items: run.items,
          signal,
          onRequest,
          onConflict: (conflict) => {
            stored[index] = conflict.storedVersion;
          },
        });
        prepared.push({ run, commit });
      } catch (error) {
        failure = { index: run.first, error };
        break;
      }
    }
    let applied = 0;
    for (const [index, { run, commit }] of prepared.entries()) {
      try {
        if (!(await this.#committer.send(commit))) {
          return { applied, requests: index + 1, stopped: { index: run.first, reason: "conflict", storedVersion: stored[index] } };
        }
      } catch (error) {
        return { applied, requests: index + 1, stopped: { index: run.first, reason: "error", error } };
      }
      applied += run.count;
    }
    return { applied, requests: prepared.length, stopped: failure === undefined ? undefined : { ...failure, reason: "error" } };
  }

  protected _resourceVersion(resource: Resource, options: CheckedOptions): Promise<Version> {
    return this.resourceRepository.resourceVersion(resource, options);
  }

  protected _closeResource(resource: Resource, options: CheckedOptions): Promise<void> {
    return this.resourceRepository.deleteResource(resource, options);
  }

  protected async _compact(scope: ProjectionCompactScope, { signal }: CheckedOptions): Promise<void> {
    await this.#handler.compact?.(this.#client, scope, { signal });
  }

  async #items(scope: ProjectionEventScope, event: E, signal: AbortSignal | undefined, source: string): Promise<readonly TransactWriteItem[]> {
    return checkedItems(await this.#handler.handleEvent(scope, event, { signal }), source);
  }

  /** The coalesced actions of a run of two or more deliveries, starting at `deliveries[first]`. */
  async #runItems(run: readonly EventDelivery<E>[], first: number, signal: AbortSignal | undefined): Promise<readonly TransactWriteItem[]> {
    const coalesce = this.#handler.handleEvents as NonNullable<DynamoProjectionHandler<E>["handleEvents"]>;
    const items = await coalesce.call(this.#handler, run.map(({ event, scope }) => ({ event, scope })), { signal });
    return checkedItems(items, `handler.handleEvents() for deliveries[${first}..${first + run.length - 1}]`);
  }

  #key(resource: Resource): Uint8Array {
    return versionItemKey(this.identity.key, resource);
  }
}

/** What a handler returned, checked: its actions, or none for `undefined`. */
function checkedItems(items: readonly TransactWriteItem[] | void, source: string): readonly TransactWriteItem[] {
  return items === undefined ? [] : requireTransactItems(items, source);
}
