import type { DynamoDBClient, TransactWriteItem } from "@aws-sdk/client-dynamodb";
import {
  InvalidArgumentError,
  readProjectionConfiguration,
  requireConditionalWriteOptions,
  requireHandledEvent,
  requireOperationOptions,
  requireResource,
  requireVersion,
  versionsEqual,
  type ConditionalWriteOptions,
  type Identity,
  type OperationOptions,
  type ProjectionCompactScope,
  type ProjectionConfiguration,
  type ProjectionConfigurer,
  type ProjectionEvent,
  type ProjectionEventScope,
  type ProjectionMessageHandler,
  type Resource,
  type Version,
  type VersionInput,
} from "@projectionkit/core";
import { requireClient, requireTableName, resolveAdapterOptions, type DynamoAdapterOptions, type ResolvedAdapterOptions } from "./adapter-options.js";
import type { DynamoProjectionHandler } from "./dynamo-projection-handler.js";
import { DynamoResourceRepository } from "./dynamo-resource-repository.js";
import { planBatch, type BatchDelivery, type BatchResult, type BatchRun } from "./event-batch.js";
import { requireTransactItems } from "./transact-items.js";
import { versionItemKey } from "./table-layout.js";
import { VersionCommitter } from "./version-committer.js";

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
   * Applies several consecutive events of one resource with as few requests as possible (D10):
   * each transaction covers a run of events, from the version before the first to the version
   * after the last, and the adapter starts a new one where DynamoDB's limits (100 actions, 4 MB,
   * one action per item) would be crossed. Events without items cost nothing extra: a run of them
   * is one single-item write. Transactions are sent in order and stop at the first that does not
   * commit; those before it stay committed.
   *
   * Each delivery's `current` must equal the previous delivery's `next`. The handler is called for
   * every event, and every request is checked, before anything is sent.
   *
   * @param resource - the resource all events belong to.
   * @param deliveries - the events in order, each with its versions and scope.
   * @param options - an abort signal.
   * @returns how many events were applied and, if not all, where and why it stopped.
   */
  handleEventBatch(resource: Resource, deliveries: readonly BatchDelivery<E>[], options?: OperationOptions): Promise<BatchResult>;
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
 * applied twice (D8).
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

class BoundDynamoProjection<E extends ProjectionEvent> implements DynamoProjection<E> {
  readonly #client: DynamoDBClient;
  readonly #handler: DynamoProjectionHandler<E>;
  readonly #configuration: ProjectionConfiguration<E>;
  readonly #options: ResolvedAdapterOptions;
  readonly #committer: VersionCommitter;
  readonly resourceRepository: DynamoResourceRepository;

  constructor(client: DynamoDBClient, table: string, handler: DynamoProjectionHandler<E>, options: DynamoProjectionOptions | undefined) {
    this.#client = requireClient(client);
    this.#configuration = readProjectionConfiguration(handler);
    if (typeof handler.handleEvent !== "function") {
      throw new InvalidArgumentError("handler.handleEvent", "expected a function");
    }
    this.#handler = handler;
    this.#options = resolveAdapterOptions(requireTableName(table), options);
    this.#committer = new VersionCommitter(this.#client, this.#options);
    this.resourceRepository = new DynamoResourceRepository(this.#client, this.#configuration.identity.key, table, options);
  }

  get identity(): Identity {
    return this.#configuration.identity;
  }

  configure(configurer: ProjectionConfigurer<E>): void {
    this.#handler.configure(configurer);
  }

  async handleEvent(
    resource: Resource,
    current: VersionInput,
    next: VersionInput,
    scope: ProjectionEventScope,
    event: E,
    options?: ConditionalWriteOptions,
  ): Promise<boolean> {
    const key = this.#key(resource);
    const expected = requireVersion(current, "current");
    const replacement = requireVersion(next, "next");
    requireHandledEvent(this.#configuration, event);
    const { signal, onConflict, onRequest } = requireConditionalWriteOptions(options);
    const items = await this.#items(scope, event, signal, "handler.handleEvent()");
    const prepared = this.#committer.prepare({ resource, key, current: expected, next: replacement, items, signal, onConflict, onRequest });
    return this.#committer.send(prepared);
  }

  async handleEventBatch(resource: Resource, deliveries: readonly BatchDelivery<E>[], options?: OperationOptions): Promise<BatchResult> {
    const key = this.#key(resource);
    if (!Array.isArray(deliveries)) {
      throw new InvalidArgumentError("deliveries", "expected an array");
    }
    const { signal, onRequest } = requireOperationOptions(options);
    const checked: Array<{ current: Version; next: Version; items: readonly TransactWriteItem[] }> = [];
    let previous: Version | undefined;
    for (const [index, delivery] of deliveries.entries()) {
      const current = requireVersion(delivery?.current, `deliveries[${index}].current`);
      const next = requireVersion(delivery.next, `deliveries[${index}].next`);
      if (previous !== undefined && !versionsEqual(previous, current)) {
        throw new InvalidArgumentError(`deliveries[${index}].current`, "expected the previous delivery's next version: a batch holds consecutive events");
      }
      requireHandledEvent(this.#configuration, delivery.event);
      checked.push({ current, next, items: [] });
      previous = next;
    }
    for (const [index, delivery] of deliveries.entries()) {
      (checked[index] as { items: readonly TransactWriteItem[] }).items = await this.#items(
        delivery.scope,
        delivery.event,
        signal,
        `handler.handleEvent() for deliveries[${index}]`,
      );
    }
    const runs = planBatch(checked, (current, next) => this.#committer.planningBudget(key, current, next));
    const stored: Array<Version | undefined> = runs.map(() => undefined);
    const prepared = runs.map((run, index) =>
      this.#committer.prepare({
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
      }),
    );
    let applied = 0;
    for (const [index, commit] of prepared.entries()) {
      const first = (runs[index] as BatchRun).first;
      try {
        if (!(await this.#committer.send(commit))) {
          return { applied, requests: index + 1, stopped: { index: first, reason: "conflict", storedVersion: stored[index] } };
        }
      } catch (error) {
        return { applied, requests: index + 1, stopped: { index: first, reason: "error", error } };
      }
      applied += (runs[index] as BatchRun).count;
    }
    return { applied, requests: prepared.length, stopped: undefined };
  }

  resourceVersion(resource: Resource, options?: OperationOptions): Promise<Version> {
    return this.resourceRepository.resourceVersion(resource, options);
  }

  closeResource(resource: Resource, options?: OperationOptions): Promise<void> {
    return this.resourceRepository.deleteResource(resource, options);
  }

  timeoutHint(event: E): number {
    return this.#handler.timeoutHint?.(event) ?? 0;
  }

  async compact(scope: ProjectionCompactScope, options?: OperationOptions): Promise<void> {
    const { signal } = requireOperationOptions(options);
    await this.#handler.compact?.(this.#client, scope, { signal });
  }

  async #items(scope: ProjectionEventScope, event: E, signal: AbortSignal | undefined, source: string): Promise<readonly TransactWriteItem[]> {
    const items = await this.#handler.handleEvent(scope, event, { signal });
    return items === undefined ? [] : requireTransactItems(items, source);
  }

  #key(resource: Resource): Uint8Array {
    return versionItemKey(this.#configuration.identity.key, requireResource(resource));
  }
}
