import type { AttributeValue as SdkAttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { documentItem, type DynamoProjectionHandler } from "@projectionkit/dynamodb";
import type { AttributeValue, DynamoDBRecord } from "aws-lambda";

/**
 * An item of the `Orders` table as a stream image carries it: `orderId` (S, the HASH key),
 * `customerId` (S), `total` (N, a whole number of cents) and `status` (S).
 *
 * @example
 * ```ts
 * const order: Order = { orderId: "o-1001", customerId: "cust-ada", total: 4990, status: "PENDING" };
 * ```
 */
export interface Order {
  readonly orderId: string;
  readonly customerId: string;
  /** The order's total in cents: a non-negative safe integer, so that sums stay exact. */
  readonly total: number;
  /** `PENDING`, `PAID`, `SHIPPED`, `DELIVERED`, `CANCELLED`, … */
  readonly status: string;
}

/**
 * The events the projection consumes: one per stream record of `Orders`, with the images it needs.
 *
 * - `OrderPlaced`: an `INSERT`, with the new image.
 * - `OrderChanged`: a `MODIFY`, with the old and the new image (the stream must be
 *   `NEW_AND_OLD_IMAGES`).
 * - `OrderRemoved`: a `REMOVE` (a delete, or a TTL expiry), with the old image.
 *
 * @example
 * ```ts
 * const event: OrderEvent = { type: "OrderRemoved", order: { orderId: "o-1", customerId: "c-1", total: 100, status: "PAID" } };
 * ```
 */
export type OrderEvent =
  | { readonly type: "OrderPlaced"; readonly order: Order }
  | { readonly type: "OrderChanged"; readonly before: Order; readonly after: Order }
  | { readonly type: "OrderRemoved"; readonly order: Order };

/**
 * A row of the `CustomerTotals` read model (HASH key `customerId`), or the change to one.
 *
 * - `orders`: how many of the customer's orders are in `Orders`, whatever their status.
 * - `spent`: the sum of their totals in cents, cancelled orders excluded.
 * - `open`: how many are neither `DELIVERED` nor `CANCELLED`.
 *
 * @example
 * ```ts
 * const totals: CustomerTotals = { orders: 2, spent: 7490, open: 1 };
 * ```
 */
export interface CustomerTotals {
  readonly orders: number;
  readonly spent: number;
  readonly open: number;
}

/** The statuses after which an order is no longer open. */
const CLOSED_STATUSES: ReadonlySet<string> = new Set(["DELIVERED", "CANCELLED"]);

/**
 * The identity of the projection. The key is written into every version item's key: it must never
 * change, or every order would be projected again from scratch.
 */
export const CUSTOMER_TOTALS_IDENTITY = { name: "customer-totals", key: "c7d6dc30-7cd7-452b-af85-9ba685da88ed" } as const;

/**
 * A stream record that cannot be turned into an {@link OrderEvent}: a missing image, or an image
 * whose attributes are not what `Orders` holds (a `total` that is not a whole number of cents, …).
 * The batch handler reports such a record in `batchItemFailures` and holds the later records of
 * the same order.
 *
 * @example
 * ```ts
 * try {
 *   orderEventOf(record);
 * } catch (error) {
 *   if (error instanceof MalformedOrderRecordError) console.warn(error.eventID, error.message);
 * }
 * ```
 */
export class MalformedOrderRecordError extends Error {
  override readonly name = "MalformedOrderRecordError";
  /** The record's `eventID`, to find it in the stream. */
  readonly eventID: string | undefined;

  constructor(eventID: string | undefined, message: string) {
    super(`stream record ${eventID ?? "(without eventID)"}: ${message}`);
    this.eventID = eventID;
  }
}

/**
 * The `toEvent` of the Lambda handler: reads a DynamoDB Streams record of `Orders` (stream view
 * type `NEW_AND_OLD_IMAGES`) into an {@link OrderEvent}, with `unmarshall` from
 * `@aws-sdk/util-dynamodb`. It does no I/O and never returns `undefined`: every change of an
 * order matters to the totals.
 *
 * @param record - one record of the Lambda event.
 * @returns the event.
 * @throws {@link MalformedOrderRecordError} for an unknown `eventName`, a missing image, or an
 *   image that is not an order.
 *
 * @example
 * ```ts
 * const handler = dynamoDBStreamsHandler(driver, { toEvent: orderEventOf });
 * orderEventOf(insertRecord); // { type: "OrderPlaced", order: { orderId: "o-1001", … } }
 * ```
 */
export function orderEventOf(record: DynamoDBRecord): OrderEvent {
  const id = record.eventID;
  const images = record.dynamodb;
  switch (record.eventName) {
    case "INSERT":
      return { type: "OrderPlaced", order: readOrder(id, images?.NewImage, "NewImage") };
    case "MODIFY":
      return { type: "OrderChanged", before: readOrder(id, images?.OldImage, "OldImage"), after: readOrder(id, images?.NewImage, "NewImage") };
    case "REMOVE":
      return { type: "OrderRemoved", order: readOrder(id, images?.OldImage, "OldImage") };
    default:
      throw new MalformedOrderRecordError(id, `unknown eventName ${JSON.stringify(record.eventName)}`);
  }
}

/**
 * How an order counts in its customer's totals.
 *
 * @param order - the order.
 * @returns one order; its total unless cancelled; open unless delivered or cancelled.
 *
 * @example
 * ```ts
 * contributionOf({ orderId: "o-1", customerId: "c-1", total: 2500, status: "CANCELLED" }); // { orders: 1, spent: 0, open: 0 }
 * ```
 */
export function contributionOf(order: Order): CustomerTotals {
  return {
    orders: 1,
    spent: order.status === "CANCELLED" ? 0 : order.total,
    open: CLOSED_STATUSES.has(order.status) ? 0 : 1,
  };
}

/**
 * What an event changes in the read model, per customer: `INSERT` adds the order's contribution,
 * `REMOVE` subtracts it, `MODIFY` adds the new image's and subtracts the old image's (two
 * customers when the order moved from one to the other). Customers whose totals do not change are
 * left out, so an event may change nothing (a status change between two open statuses).
 *
 * @param event - the event.
 * @returns the non-zero changes, by `customerId`.
 *
 * @example
 * ```ts
 * totalsDeltas({ type: "OrderChanged", before: { …, total: 12000, status: "PAID" }, after: { …, total: 11000, status: "PAID" } });
 * // Map { "cust-grace" => { orders: 0, spent: -1000, open: 0 } }
 * ```
 */
export function totalsDeltas(event: OrderEvent): Map<string, CustomerTotals> {
  const deltas = new Map<string, CustomerTotals>();
  const add = (order: Order, sign: 1 | -1): void => {
    const previous = deltas.get(order.customerId) ?? { orders: 0, spent: 0, open: 0 };
    const contribution = contributionOf(order);
    deltas.set(order.customerId, {
      orders: previous.orders + sign * contribution.orders,
      spent: previous.spent + sign * contribution.spent,
      open: previous.open + sign * contribution.open,
    });
  };
  switch (event.type) {
    case "OrderPlaced":
      add(event.order, 1);
      break;
    case "OrderChanged":
      add(event.before, -1);
      add(event.after, 1);
      break;
    case "OrderRemoved":
      add(event.order, -1);
      break;
  }
  for (const [customerId, delta] of deltas) {
    if (delta.orders === 0 && delta.spent === 0 && delta.open === 0) {
      deltas.delete(customerId);
    }
  }
  return deltas;
}

/**
 * The projection of `Orders` into `CustomerTotals`, for `dynamoProjection`. For each event it
 * returns one `Update` per customer whose totals change (`ADD orders, spent, open`), which the
 * adapter commits in one `TransactWriteItems` with the version of the order item; an event that
 * changes no totals only advances the version. `ADD` is not idempotent: were an event applied
 * twice, the customer's totals would count the order twice. The version check is what prevents it.
 *
 * @param totalsTable - the name of the `CustomerTotals` table.
 * @returns the handler.
 *
 * @example
 * ```ts
 * import { dynamoProjection } from "@projectionkit/dynamodb";
 *
 * const projection = dynamoProjection(client, "ProjectionVersions", customerTotalsProjection("CustomerTotals"), {
 *   keySchemas: { CustomerTotals: ["customerId"] },
 * });
 * ```
 */
export function customerTotalsProjection(totalsTable: string): DynamoProjectionHandler<OrderEvent> {
  return {
    configure(c) {
      c.identity(CUSTOMER_TOTALS_IDENTITY.name, CUSTOMER_TOTALS_IDENTITY.key);
      c.handlesEvents("OrderPlaced", "OrderChanged", "OrderRemoved");
    },
    handleEvent(_scope, event) {
      return [...totalsDeltas(event)].map(([customerId, delta]) =>
        documentItem({
          Update: {
            TableName: totalsTable,
            Key: { customerId },
            UpdateExpression: "ADD #orders :orders, #spent :spent, #open :open",
            ExpressionAttributeNames: { "#orders": "orders", "#spent": "spent", "#open": "open" },
            ExpressionAttributeValues: { ":orders": delta.orders, ":spent": delta.spent, ":open": delta.open },
          },
        }),
      );
    },
  };
}

/** Reads one image of a record as an order, checking every attribute the projection uses. */
function readOrder(eventID: string | undefined, image: Record<string, AttributeValue> | undefined, which: "NewImage" | "OldImage"): Order {
  if (image === undefined) {
    throw new MalformedOrderRecordError(eventID, `dynamodb.${which} is missing: the stream's view type must be NEW_AND_OLD_IMAGES`);
  }
  let item: Record<string, unknown>;
  try {
    // Lambda's attribute values differ from the SDK's only for binary values (base64 strings
    // instead of bytes); an order has none.
    item = unmarshall(image as unknown as Record<string, SdkAttributeValue>);
  } catch (error) {
    throw new MalformedOrderRecordError(eventID, `dynamodb.${which} cannot be read: ${(error as Error).message}`);
  }
  const { orderId, customerId, total, status } = item;
  for (const [name, value] of [["orderId", orderId], ["customerId", customerId], ["status", status]] as const) {
    if (typeof value !== "string" || value.length === 0) {
      throw new MalformedOrderRecordError(eventID, `dynamodb.${which}.${name}: expected a non-empty string (S), got ${describe(image[name])}`);
    }
  }
  if (typeof total !== "number" || !Number.isSafeInteger(total) || total < 0) {
    throw new MalformedOrderRecordError(eventID, `dynamodb.${which}.total: expected a whole number of cents (N), got ${describe(image["total"])}`);
  }
  return { orderId: orderId as string, customerId: customerId as string, total, status: status as string };
}

function describe(value: AttributeValue | undefined): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}
