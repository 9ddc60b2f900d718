import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  type DynamoDBClient,
  type GetItemCommandOutput,
  type TransactWriteItem,
} from "@aws-sdk/client-dynamodb";
import {
  InvalidArgumentError,
  ResourceRepositoryBase,
  type CheckedConditionalOptions,
  type CheckedOptions,
  type ConditionalWriteCall,
  type ConditionalWriteOptions,
  type RequestCost,
  type Resource,
  type ResourceRepository,
  type Version,
  type VersionInput,
  validateIdentityKey,
} from "@projectionkit/core";
import { requireClient, requireTableName, resolveAdapterOptions, type DynamoAdapterOptions, type ResolvedAdapterOptions } from "./adapter-options.js";
import { decorateVersionRequest } from "./decorator-guards.js";
import { requireTransactItems } from "./transact-items.js";
import { dispatch, DispatchFailure } from "./dispatch.js";
import { mapRequestFailure } from "./service-errors.js";
import { versionItemKey } from "./table-layout.js";
import { VersionCommitter } from "./version-committer.js";

/**
 * Options of {@link DynamoResourceRepository}.
 *
 * @example
 * ```ts
 * const options: DynamoResourceRepositoryOptions = { consistentRead: true };
 * ```
 */
export type DynamoResourceRepositoryOptions = DynamoAdapterOptions;

/**
 * The version store on DynamoDB (D13): one item per (handler, resource) in the Go v0.7.1 layout,
 * implementing {@link ResourceRepository} (R1–R6), plus
 * {@link DynamoResourceRepository.updateResourceVersionAndTransactionItems} for higher-order
 * projections that commit their own items with the version. No I/O in the constructor (D12).
 *
 * Reads are strongly consistent unless `consistentRead: false`; storing the empty version deletes
 * the item; a conditional update is one single-item write (D6) that reports the stored version
 * through `onConflict` on a conflict (H7). Arguments and options are checked before any I/O by
 * core's `ResourceRepositoryBase` (E1, E2).
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
 * import { encodeOffset } from "@projectionkit/core";
 * import { DynamoResourceRepository } from "@projectionkit/dynamodb";
 *
 * const repository = new DynamoResourceRepository(new DynamoDBClient({}), "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11", "ProjectionVersions");
 * const r = new TextEncoder().encode("stream-1");
 * await repository.updateResourceVersion(r, undefined, encodeOffset(0)); // true
 * ```
 */
export class DynamoResourceRepository extends ResourceRepositoryBase implements ResourceRepository {
  readonly #client: DynamoDBClient;
  readonly #handlerKey: string;
  readonly #options: ResolvedAdapterOptions;
  readonly #committer: VersionCommitter;

  /**
   * @param client - the DynamoDB client (a peer dependency; you configure it).
   * @param handlerKey - the handler's identity key, written verbatim into every item key.
   * @param table - the version table, made with `createTable`.
   * @param options - see {@link DynamoAdapterOptions}.
   * @throws `InvalidArgumentError` for a malformed argument or option, before any I/O.
   */
  constructor(client: DynamoDBClient, handlerKey: string, table: string, options?: DynamoResourceRepositoryOptions) {
    super();
    this.#client = requireClient(client);
    try {
      this.#handlerKey = validateIdentityKey(handlerKey);
    } catch (error) {
      // A UUID check also catches the handler key and the table name given in the wrong order.
      throw new InvalidArgumentError("handlerKey", "expected the handler's identity key, a UUID string", { cause: error });
    }
    this.#options = resolveAdapterOptions(requireTableName(table), options);
    this.#committer = new VersionCommitter(this.#client, this.#options);
  }

  /** R1, with a strongly consistent read unless `consistentRead: false`. */
  protected async _resourceVersion(resource: Resource, { signal, onRequest }: CheckedOptions): Promise<Version> {
    const names = this.#options.attributeNames;
    const input = decorateVersionRequest("getItem", {
      TableName: this.#options.table,
      Key: { [names.key]: { B: this.#key(resource) } },
      ConsistentRead: this.#options.consistentRead,
      ProjectionExpression: "#v",
      ExpressionAttributeNames: { "#v": names.version },
    }, this.#options.decorators.getItem);
    const { Item } = await this.#send<GetItemCommandOutput>(new GetItemCommand(input), "GetItem", signal, onRequest);
    return this.#committer.storedVersion(Item);
  }

  /** R2: the empty version deletes the item, so a resource never keeps an empty stored version (pitfall GP1). */
  protected async _storeResourceVersion(resource: Resource, version: Version, { signal, onRequest }: CheckedOptions): Promise<void> {
    const key = this.#key(resource);
    if (version.length === 0) {
      return this.#deleteItem(key, signal, onRequest);
    }
    const names = this.#options.attributeNames;
    const input = decorateVersionRequest("putItem", {
      TableName: this.#options.table,
      Item: { [names.key]: { B: key }, [names.version]: { B: version } },
    }, this.#options.decorators.putItem);
    await this.#send(new PutItemCommand(input), "PutItem", signal, onRequest);
  }

  /** R3, R5, R6: one conditional single-item write (D6); a conflict reports the stored version (H7). */
  protected _updateResourceVersion(resource: Resource, current: Version, next: Version, options: CheckedConditionalOptions): Promise<boolean> {
    return this.#commit({ resource, current, next, ...options }, []);
  }

  /** R4: removes the version item; idempotent. */
  protected _deleteResource(resource: Resource, { signal, onRequest }: CheckedOptions): Promise<void> {
    return this.#deleteItem(this.#key(resource), signal, onRequest);
  }

  /**
   * Sets the version to `next` if it is `current`, and applies `items` in the same
   * `TransactWriteItems` (D5), for higher-order projections. The version write is action 0; with
   * no items this is {@link DynamoResourceRepository.updateResourceVersion}.
   *
   * @param resource - a non-empty resource.
   * @param current - the expected version; empty means "absent".
   * @param next - the new version; empty deletes the item.
   * @param items - up to 99 actions on other items, in attribute-value form (see
   *   `documentItem` for plain values).
   * @param options - an abort signal and `onConflict`.
   * @returns `true` if the version was `current` and the items were applied with `next`; `false`
   *   (nothing written) otherwise.
   * @throws `TooManyActionsError`, `TransactionTooLargeError`, `DuplicateItemError`,
   *   `VersionItemTouchedError` before any request (D9); `ItemConditionFailedError` when an
   *   item's own condition fails; `AmbiguousCommitError`, `ThrottledError`,
   *   `TransactionConflictError` (retryable).
   *
   * @example
   * ```ts
   * await repository.updateResourceVersionAndTransactionItems(r, c, n, [
   *   { Put: { TableName: "ReadModel", Item: { pk: { S: "acc-1" }, balance: { N: "42" } } } },
   * ]);
   * ```
   */
  async updateResourceVersionAndTransactionItems(
    resource: Resource,
    current: VersionInput,
    next: VersionInput,
    items: readonly TransactWriteItem[],
    options?: ConditionalWriteOptions,
  ): Promise<boolean> {
    const call = this.checkConditionalWrite(resource, current, next, options);
    return this.#commit(call, requireTransactItems(items, "items"));
  }

  async #commit({ resource, current, next, signal, onConflict, onRequest }: ConditionalWriteCall, items: readonly TransactWriteItem[]): Promise<boolean> {
    const prepared = await this.#committer.prepare({ resource, key: this.#key(resource), current, next, items, signal, onConflict, onRequest });
    return this.#committer.send(prepared);
  }

  async #deleteItem(key: Uint8Array, signal: AbortSignal | undefined, onRequest: ((cost: RequestCost) => void) | undefined): Promise<void> {
    const names = this.#options.attributeNames;
    const input = decorateVersionRequest("deleteItem", {
      TableName: this.#options.table,
      Key: { [names.key]: { B: key } },
    }, this.#options.decorators.deleteItem);
    await this.#send(new DeleteItemCommand(input), "DeleteItem", signal, onRequest);
  }

  /** Sends a request outside the version protocol: the answer's cost reported, a failure mapped to a typed error. */
  async #send<O>(
    command: GetItemCommand | PutItemCommand | DeleteItemCommand,
    operation: "GetItem" | "PutItem" | "DeleteItem",
    signal: AbortSignal | undefined,
    onRequest: ((cost: RequestCost) => void) | undefined,
  ): Promise<O> {
    try {
      return await dispatch<O>(this.#client, command, signal, this.#options.requestTimeoutMs, onRequest);
    } catch (failure) {
      throw mapRequestFailure(operation, failure instanceof DispatchFailure ? failure.error : failure, signal, [this.#options.table]);
    }
  }

  #key(resource: Resource): Uint8Array {
    return versionItemKey(this.#handlerKey, resource);
  }
}
