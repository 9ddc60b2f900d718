// The Go library's algorithm (dogmatiq/projectionkit dynamoprojection v0.7.1), re-implemented from
// its documented behaviour for the head-to-head bench (P4), with the engine loop that goes with it:
//
// - every event is one TransactWriteItems, [the version write, ...the handler's items], even when
//   the handler has no items;
// - the version write: a Put conditioned on attribute_not_exists when the current version is
//   empty, otherwise an Update `SET #V = :N` conditioned on `attribute_exists(#HR) AND #V = :C`;
// - no ClientRequestToken, no ReturnValuesOnConditionCheckFailure: a failed condition on action 0
//   is a conflict (ok = false) and tells nothing about the stored version;
// - after each conflict the engine reads the stored version (ResourceVersion: a GetItem, not a
//   consistent read) to learn whether the event was a duplicate or came too early.
import { GetItemCommand, TransactWriteItemsCommand, type DynamoDBClient, type TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { nextStreamOffset, streamEventVersions, type DeliveryOutcome, type ProjectionEvent, type OffsetSourceEvent, type Version } from "@projectionkit/core";

/**
 * The version store and transaction of the Go adapter, on a table laid out as the Go library does.
 *
 * @example
 * ```ts
 * const go = new GoDynamoProjection(client, "Versions", HANDLER_KEY);
 * const applied = await go.handleEvent(resource, current, next, [addToBalance("Balances", "acc-1", 1)]);
 * ```
 */
export class GoDynamoProjection {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #keyPrefix: Uint8Array;

  constructor(client: DynamoDBClient, table: string, handlerKey: string) {
    this.#client = client;
    this.#table = table;
    this.#keyPrefix = new TextEncoder().encode(`${handlerKey} `);
  }

  #key(resource: Uint8Array): Uint8Array {
    const key = new Uint8Array(this.#keyPrefix.length + resource.length);
    key.set(this.#keyPrefix);
    key.set(resource, this.#keyPrefix.length);
    return key;
  }

  /** HandleEvent: true if applied; false on a conflict (a failed condition on action 0). */
  async handleEvent(resource: Uint8Array, current: Version, next: Version, items: readonly TransactWriteItem[]): Promise<boolean> {
    const key = { HandlerAndResource: { B: this.#key(resource) } };
    const occ: TransactWriteItem =
      current.length === 0
        ? { Put: { TableName: this.#table, Item: { ...key, Version: { B: next } }, ConditionExpression: "attribute_not_exists(#HR)", ExpressionAttributeNames: { "#HR": "HandlerAndResource" } } }
        : {
            Update: {
              TableName: this.#table,
              Key: key,
              UpdateExpression: "SET #V = :N",
              ConditionExpression: "attribute_exists(#HR) AND #V = :C",
              ExpressionAttributeNames: { "#HR": "HandlerAndResource", "#V": "Version" },
              ExpressionAttributeValues: { ":C": { B: current }, ":N": { B: next } },
            },
          };
    try {
      await this.#client.send(new TransactWriteItemsCommand({ TransactItems: [occ, ...items] }));
      return true;
    } catch (error) {
      const reasons = (error as { name?: string; CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
      if ((error as { name?: string }).name === "TransactionCanceledException" && reasons?.[0]?.Code === "ConditionalCheckFailed") {
        return false;
      }
      throw error;
    }
  }

  /** ResourceVersion: a GetItem, not consistent; empty when there is no item. */
  async resourceVersion(resource: Uint8Array): Promise<Version> {
    const { Item } = await this.#client.send(new GetItemCommand({ TableName: this.#table, Key: { HandlerAndResource: { B: this.#key(resource) } } }));
    return Item?.["Version"]?.B ?? new Uint8Array();
  }
}

/**
 * The engine's handling of one worker's batch, delivery by delivery: the transaction; on a
 * conflict, a read of the stored version, which says whether the event was already applied
 * (duplicate, settled) or came before an earlier one (gap, to be delivered again). An error (a
 * transaction conflict between workers on one item) is not settled either.
 *
 * @example
 * ```ts
 * source.settle(await goEngineBatch(go, source.take(50), (event) => [addToBalance("Balances", event.account, event.amount)]));
 * ```
 */
export async function goEngineBatch<E extends ProjectionEvent>(
  projection: GoDynamoProjection,
  batch: readonly OffsetSourceEvent<E>[],
  itemsOf: (event: E) => TransactWriteItem[],
): Promise<Array<{ source: OffsetSourceEvent<E>; outcome: DeliveryOutcome }>> {
  const outcomes: Array<{ source: OffsetSourceEvent<E>; outcome: DeliveryOutcome }> = [];
  for (const source of batch) {
    const { resource, current, next } = streamEventVersions(source.stream, source.offset);
    try {
      if (await projection.handleEvent(resource, current, next, itemsOf(source.event))) {
        outcomes.push({ source, outcome: "applied" });
        continue;
      }
      const stored = await projection.resourceVersion(resource);
      outcomes.push({ source, outcome: BigInt(source.offset) < nextStreamOffset(stored) ? "duplicate" : "gap" });
    } catch {
      outcomes.push({ source, outcome: "failed" });
    }
  }
  return outcomes;
}
