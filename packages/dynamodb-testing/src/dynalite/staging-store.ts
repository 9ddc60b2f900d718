import {
  callDynalite,
  dynaliteDb,
  type BatchOperation,
  type Item,
  type Lock,
  type Store,
  type SubDb,
} from "./dynalite-internals.js";
import { itemId } from "./transact-keys.js";
import { fromDynaliteError } from "./wire-errors.js";

/**
 * A view of dynalite's store in which dynalite's own PutItem/UpdateItem/DeleteItem actions run
 * one after the other without touching the database, as the actions of one transaction: reads
 * of an item see the transaction's earlier writes, else the item as read under the transaction's
 * locks; writes of items and index entries are collected into `operations`; the item lock is a
 * no-op (the transaction already holds it). Tables and options are the real store's.
 *
 * An item may be written (or checked) only once: a second time fails with DynamoDB's
 * "multiple operations on one item" ValidationException, at the moment DynamoDB Local notices it
 * (after the action's condition passed and its new item was computed).
 *
 * @internal
 */
export interface StagingStore {
  /** The store to hand to dynalite's actions. */
  readonly store: Store;
  /** The collected writes, with LevelDB keys of the main database, in order. */
  readonly operations: readonly BatchOperation[];
  /**
   * The item as the transaction sees it now.
   *
   * @param id - the item's {@link itemId}.
   * @returns the item, `undefined` when absent or deleted.
   */
  current(id: string): Item | undefined;
  /**
   * Marks an item as used by an action that writes nothing (a ConditionCheck that passed).
   *
   * @param id - the item's {@link itemId}.
   * @throws {@link WireError} `ValidationException` when an earlier action used it.
   */
  touch(id: string): void;
}

/**
 * DynamoDB's message for a second action on one item.
 *
 * @internal
 */
export const DUPLICATE_ITEM = "Transaction request cannot include multiple operations on one item";

const HELD: Lock = Object.assign(
  (_key: string | readonly string[], exec: (release: (done: (...args: unknown[]) => void) => (...args: unknown[]) => void) => void) =>
    exec((done) => done),
  { isLocked: () => true },
);

/**
 * Makes a {@link StagingStore}.
 *
 * dynalite keeps each table's items under the LevelDB key prefix `item-<table>~` and each index
 * under `index-<local|global>~<table>~<index>~` (its `getSubDb` naming, dynalite 4.0.0); the
 * collected operations use those full keys so that {@link commitStaged} can apply all of them in
 * one atomic LevelDB batch.
 *
 * @internal
 * @param store - the real store.
 * @param reads - the items as read under the locks, by {@link itemId}.
 * @returns the staging store.
 */
export function createStagingStore(store: Store, reads: ReadonlyMap<string, Item | undefined>): StagingStore {
  const operations: BatchOperation[] = [];
  const written = new Map<string, Item | undefined>();
  const touched = new Set<string>();
  const current = (id: string): Item | undefined => (written.has(id) ? written.get(id) : reads.get(id));
  const claim = (id: string): Error | undefined => {
    if (touched.has(id)) {
      return dynaliteDb.validationError(DUPLICATE_ITEM);
    }
    touched.add(id);
    return undefined;
  };
  const itemDb = (tableName: string): SubDb => {
    const prefix = `item-${tableName}~`;
    const write = (key: string, value: Item | undefined, callback: (error?: Error | null) => void): void => {
      const id = itemId(tableName, key);
      const duplicate = claim(id);
      if (duplicate !== undefined) {
        setImmediate(callback, duplicate);
        return;
      }
      operations.push(value === undefined ? { type: "del", key: prefix + key } : { type: "put", key: prefix + key, value });
      written.set(id, value);
      setImmediate(callback, null);
    };
    return {
      lock: HELD,
      get: (key, callback) => {
        const id = itemId(tableName, key);
        if (!reads.has(id)) {
          setImmediate(callback, new Error(`staging: item ${key} of ${tableName} was not read under lock`));
          return;
        }
        setImmediate(callback, null, current(id));
      },
      put: (key, value, callback) => write(key, value, callback),
      del: (key, callback) => write(key, undefined, callback),
    };
  };
  const indexDb = (prefix: string): SubDb => ({
    lock: HELD,
    get: (key, callback) => setImmediate(callback, new Error(`staging: unexpected read of index entry ${prefix}${key}`)),
    put: (key, value, callback) => {
      operations.push({ type: "put", key: prefix + key, value });
      setImmediate(callback, null);
    },
    del: (key, callback) => {
      operations.push({ type: "del", key: prefix + key });
      setImmediate(callback, null);
    },
  });
  const staged: Store = {
    ...store,
    getItemDb: itemDb,
    getIndexDb: (indexType, tableName, indexName) => indexDb(`index-${indexType.toLowerCase()}~${tableName}~${indexName}~`),
  };
  return {
    store: staged,
    operations,
    current,
    touch: (id) => {
      const duplicate = claim(id);
      if (duplicate !== undefined) {
        throw fromDynaliteError(duplicate);
      }
    },
  };
}

/**
 * Reads items from dynalite's store (call it while holding their locks).
 *
 * @internal
 * @param store - the real store.
 * @param items - table name and dynalite key of each item.
 * @returns each item by {@link itemId}; `undefined` for an absent item.
 */
export async function readItems(
  store: Store,
  items: readonly { readonly tableName: string; readonly key: string }[],
): Promise<Map<string, Item | undefined>> {
  const values = await Promise.all(
    items.map(({ tableName, key }) =>
      callDynalite<Item>((callback) =>
        store.getItemDb(tableName).get(key, (error, value) => {
          // memory-level answers undefined for an absent key; older levels threw NotFoundError.
          if (error !== null && error !== undefined && error.name !== "NotFoundError") {
            callback(error);
          } else {
            callback(null, value ?? undefined);
          }
        }),
      ),
    ),
  );
  return new Map(items.map(({ tableName, key }, index) => [itemId(tableName, key), values[index]]));
}

/**
 * Applies collected writes to dynalite's main LevelDB in one batch: other readers (GetItem, Query,
 * Scan) see all of the transaction's writes or none of them.
 *
 * @internal
 * @param store - the real store.
 * @param operations - the writes collected by a {@link StagingStore}.
 * @returns once written.
 */
export async function commitStaged(store: Store, operations: readonly BatchOperation[]): Promise<void> {
  if (operations.length === 0) {
    return;
  }
  await new Promise<void>((resolve, reject) => {
    store.db.batch(operations, (error) => (error === null || error === undefined ? resolve() : reject(error)));
  });
}
