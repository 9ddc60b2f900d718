import type { Store } from "./dynalite-internals.js";

/**
 * An item to lock: its table and dynalite's key (`db.createKey`).
 *
 * @internal
 */
export interface LockedItem {
  readonly tableName: string;
  readonly key: string;
}

/**
 * Takes dynalite's own per-item locks (the `lock` of each table's item sub-database, which
 * dynalite's PutItem, UpdateItem, DeleteItem and BatchWriteItem take around their read, condition
 * check and write) on every given item, and resolves once all are held.
 *
 * Free of deadlocks: the keys of all tables are queued synchronously, in one go, and each key's
 * queue is FIFO, so any two lockers meet in the same order on every key they share. A
 * single-item write queued after the transaction waits for all of it; one queued before runs
 * first, completely.
 *
 * @internal
 * @param store - dynalite's store.
 * @param items - distinct items.
 * @returns a function that releases every lock (call it exactly once).
 */
export function lockItems(store: Store, items: readonly LockedItem[]): Promise<() => void> {
  const keysByTable = new Map<string, string[]>();
  for (const { tableName, key } of items) {
    const keys = keysByTable.get(tableName);
    if (keys === undefined) {
      keysByTable.set(tableName, [key]);
    } else {
      keys.push(key);
    }
  }
  return new Promise((resolve) => {
    if (keysByTable.size === 0) {
      resolve(() => undefined);
      return;
    }
    let pending = keysByTable.size;
    const releases: (() => void)[] = [];
    for (const [tableName, keys] of keysByTable) {
      store.getItemDb(tableName).lock(keys, (release) => {
        releases.push(release(() => undefined));
        pending -= 1;
        if (pending === 0) {
          resolve(() => {
            for (const releaseTable of releases) {
              releaseTable();
            }
          });
        }
      });
    }
  });
}
