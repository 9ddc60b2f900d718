import { CapacityTally, consumedCapacity, type ConsumedCapacityEntry } from "./consumed-capacity.js";
import { callDynalite, dynaliteDb, getItemAction, type Item, type Store } from "./dynalite-internals.js";
import { lockItems } from "./item-locks.js";
import { DUPLICATE_ITEM } from "./staging-store.js";
import { checkKey, itemId, loadTables } from "./transact-keys.js";
import { parseTransactGetItems } from "./transact-request.js";
import {
  fromDynaliteError,
  resourceNotFound,
  transactionCanceledWithoutReasons,
  validationException,
} from "./wire-errors.js";

interface GetItemResult {
  readonly Item?: Item;
  readonly ConsumedCapacity?: { readonly CapacityUnits: number };
}

/**
 * The JSON answer of a `TransactGetItems`: one entry per Get, `{}` for an absent item.
 *
 * @internal
 */
export interface TransactGetAnswer {
  readonly Responses: readonly { readonly Item?: Item }[];
  readonly ConsumedCapacity?: readonly ConsumedCapacityEntry[];
}

/**
 * Answers a `TransactGetItems` request on dynalite's store: a consistent snapshot of all the
 * items. It holds dynalite's item locks on every item while it reads them, so no write of one of
 * them (single-item or transactional, both take these locks) is half-way through.
 *
 * Validation follows DynamoDB Local 1.25.1, Get by Get, the first problem being the answer: a
 * missing table is a `ResourceNotFoundException`; a key that does not match the schema is a
 * `TransactionCanceledException` without reasons; a second Get of one item is a
 * `ValidationException`. Each Get is dynalite's own GetItem (consistent
 * read, `ProjectionExpression`).
 *
 * @internal
 * @param store - dynalite's store.
 * @param body - the parsed JSON body.
 * @returns the answer.
 * @throws {@link WireError} for every error DynamoDB answers.
 */
export async function transactGetItems(store: Store, body: unknown): Promise<TransactGetAnswer> {
  const request = parseTransactGetItems(body);
  const { actions } = request;
  const tables = await loadTables(
    store,
    actions.map((action) => action.tableName),
  );
  // One Get after the other, as DynamoDB Local checks them: the first problem is the answer.
  const items: { readonly tableName: string; readonly key: string }[] = [];
  const seen = new Set<string>();
  for (const action of actions) {
    const table = tables.get(action.tableName);
    if (table === undefined) {
      throw resourceNotFound();
    }
    const check = checkKey(action.key, table, false);
    if (!check.ok) {
      throw check.kind === "empty" ? validationException(check.message) : transactionCanceledWithoutReasons(check.message);
    }
    const projection = action.data["_projection"] as { readonly nestedPaths?: unknown } | undefined;
    const invalid = dynaliteDb.validateKeyPaths(projection?.nestedPaths, table);
    if (invalid !== undefined && invalid !== null) {
      throw fromDynaliteError(invalid);
    }
    const id = itemId(action.tableName, check.key);
    if (seen.has(id)) {
      throw validationException(DUPLICATE_ITEM);
    }
    seen.add(id);
    items.push({ tableName: action.tableName, key: check.key });
  }

  const release = await lockItems(store, items);
  let results: (GetItemResult | undefined)[];
  try {
    results = await Promise.all(
      actions.map((action) =>
        callDynalite<GetItemResult>((callback) =>
          getItemAction(store, { ...action.data, ConsistentRead: true, ReturnConsumedCapacity: "TOTAL" }, callback),
        ),
      ),
    );
  } catch (error) {
    throw fromDynaliteError(error);
  } finally {
    release();
  }

  const tally = new CapacityTally();
  const responses = actions.map((action, index) => {
    const result = results[index];
    const item = result?.Item;
    // dynalite's consistent-read units of the whole item (a projection does not make it cheaper),
    // doubled for a transaction: 2 per 4 KB, 2 for an absent item.
    tally.add(action.tableName, 2 * (result?.ConsumedCapacity?.CapacityUnits ?? 1));
    return item === undefined ? {} : { Item: item };
  });
  const capacity = consumedCapacity(request.returnConsumedCapacity, "read", tally);
  return capacity === undefined ? { Responses: responses } : { ConsumedCapacity: capacity, Responses: responses };
}
