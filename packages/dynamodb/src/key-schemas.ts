import { DescribeTableCommand, type AttributeValue, type DynamoDBClient, type TransactWriteItem } from "@aws-sdk/client-dynamodb";
import type { RequestCost } from "@projectionkit/core";
import { DynamoRequestError } from "./commit-errors.js";
import { httpOptions } from "./dispatch.js";
import { attributeValueSize, transactActionKind } from "./item-size.js";
import { reportRequestCost } from "./request-cost.js";
import { mapRequestFailure } from "./service-errors.js";
import { MAX_SORT_KEY_BYTES } from "./transaction-limits.js";

/**
 * Key attribute names by table name: the partition key first, then the sort key if any.
 *
 * @internal
 */
export type KeySchemas = Readonly<Record<string, readonly string[]>>;

/**
 * The key schemas learnt with `DescribeTable`, per client (so per endpoint, region and account)
 * and table: at most one request per table and client in a process, shared by every adapter on the
 * client. A failed request is forgotten, so that the next call asks again.
 */
const learnt = new WeakMap<object, Map<string, Promise<readonly string[]>>>();

/**
 * The caller's signal, the request timeout, and where the cost of a `DescribeTable` is reported.
 *
 * @internal
 */
export interface KeySchemaRequest {
  readonly signal: AbortSignal | undefined;
  readonly requestTimeoutMs: number | undefined;
  readonly onRequest: ((cost: RequestCost) => void) | undefined;
}

/**
 * The tables among `items` whose key schema the checks of D15 need and do not have: a table with
 * a `Put` and no action with a `Key` in `items` (which `Put`s are on one item), or a two-attribute
 * key with a value over 1024 bytes (which one is the sort key). Tables for which `known` is true
 * are left out.
 *
 * @param items - well-formed actions (checked by a budget before).
 * @param known - whether a table's schema is declared, learnt, or beside the point.
 * @returns the tables to describe, each once, in order of appearance.
 *
 * @internal
 */
export function tablesNeedingKeySchema(items: readonly TransactWriteItem[], known: (table: string) => boolean): string[] {
  const keyNamesByTable = new Map<string, string[]>();
  const actions = items.map((action, index) => {
    const kind = transactActionKind(action, `items[${index}]`);
    const body = action[kind] as { TableName: string; Key?: Record<string, AttributeValue>; Item?: Record<string, AttributeValue> };
    if (body.Key !== undefined && !keyNamesByTable.has(body.TableName)) {
      keyNamesByTable.set(body.TableName, Object.keys(body.Key).filter((name) => body.Key?.[name] != null));
    }
    return body;
  });
  const needed = new Set<string>();
  for (const { TableName: table, Key: key, Item: item } of actions) {
    if (needed.has(table) || known(table)) {
      continue;
    }
    const names = keyNamesByTable.get(table);
    if (names === undefined) {
      needed.add(table); // a Put, and no Key on its table
      continue;
    }
    const attributes = key ?? item ?? {};
    const long = (name: string) => {
      const value = attributes[name];
      return value != null && (value.S !== undefined || value.B !== undefined) && attributeValueSize(value) > MAX_SORT_KEY_BYTES;
    };
    if (names.length === 2 && names.some(long)) {
      needed.add(table);
    }
  }
  return [...needed];
}

/**
 * The key schemas of `tables`, from the cache of `client` or one `DescribeTable` each (sent
 * together). The shared request is not bound to one caller's signal (another caller may wait for
 * it); each caller stops waiting when its own signal aborts.
 *
 * @param client - the client the adapter sends with.
 * @param tables - the tables to learn.
 * @param request - the caller's signal, timeout and cost report.
 * @returns the schemas, by table.
 * @throws `DynamoRequestError` naming the table when `DescribeTable` fails (a missing table, no
 *   `dynamodb:DescribeTable` permission); the signal's reason when it aborts.
 *
 * @internal
 */
export async function learnKeySchemas(client: DynamoDBClient, tables: readonly string[], request: KeySchemaRequest): Promise<KeySchemas> {
  request.signal?.throwIfAborted();
  let cache = learnt.get(client);
  if (cache === undefined) {
    cache = new Map();
    learnt.set(client, cache);
  }
  const byClient = cache;
  const pending = tables.map((table) => {
    let schema = byClient.get(table);
    if (schema === undefined) {
      schema = describeKeySchema(client, table, request);
      byClient.set(table, schema);
      const stored = schema;
      stored.catch(() => {
        if (byClient.get(table) === stored) {
          byClient.delete(table);
        }
      });
    }
    return schema.then((names) => [table, names] as const);
  });
  const all = Promise.all(pending);
  const entries = await (request.signal === undefined ? all : untilAborted(all, request.signal));
  return Object.fromEntries(entries);
}

async function describeKeySchema(client: DynamoDBClient, table: string, request: KeySchemaRequest): Promise<readonly string[]> {
  const purpose = `the adapter reads the key schema of table "${table}" to check its items before sending (D15): allow dynamodb:DescribeTable on it, or name it in the keySchemas option`;
  let output;
  try {
    output = await client.send(new DescribeTableCommand({ TableName: table }), httpOptions(undefined, request.requestTimeoutMs));
  } catch (error) {
    reportRequestCost(request.onRequest, "DescribeTable", error, false);
    const failure = mapRequestFailure("DescribeTable", error, undefined, [table]);
    if (failure instanceof DynamoRequestError && failure.serviceErrorName !== "ResourceNotFoundException") {
      throw new DynamoRequestError("DescribeTable", error, failure.retryable, { tables: [table], purpose });
    }
    throw failure;
  }
  reportRequestCost(request.onRequest, "DescribeTable", output, true);
  const elements = output.Table?.KeySchema ?? [];
  const partition = elements.find((element) => element.KeyType === "HASH")?.AttributeName;
  const sort = elements.find((element) => element.KeyType === "RANGE")?.AttributeName;
  if (partition === undefined) {
    throw new DynamoRequestError("DescribeTable", new Error(`the description of table "${table}" has no HASH key`), false, { tables: [table] });
  }
  return sort === undefined ? [partition] : [partition, sort];
}

/** `promise`, or the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", abort);
        reject(error);
      },
    );
  });
}
