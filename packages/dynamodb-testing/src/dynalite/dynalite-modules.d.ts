// Minimal typings for the parts of dynalite 4.0.0 that the harness uses. dynalite publishes no
// types; these describe only what ./dynalite-internals.ts imports, as dynalite's own code uses it.
// The modules are CommonJS (`module.exports = …`), hence `export =`.

declare module "dynalite" {
  import type { Server } from "node:http";

  namespace dynalite {
    /** The options of `dynalite()` that the harness passes. */
    interface Options {
      createTableMs?: number;
      deleteTableMs?: number;
      updateTableMs?: number;
    }
  }

  /** Creates dynalite's HTTP server (not yet listening) with a new in-memory store. */
  function dynalite(options?: dynalite.Options): Server;
  export = dynalite;
}

declare module "dynalite/db/index.js" {
  namespace db {
    /** A DynamoDB attribute value in wire format, e.g. `{ S: "x" }`. */
    type AttributeValue = Readonly<Record<string, unknown>>;
    /** An item or key in wire format. */
    type Item = Record<string, AttributeValue>;

    /** A table description as dynalite stores it. */
    interface Table {
      readonly TableName: string;
      readonly TableStatus: string;
      readonly KeySchema: readonly { readonly AttributeName: string; readonly KeyType: string }[];
      readonly AttributeDefinitions: readonly { readonly AttributeName: string; readonly AttributeType: string }[];
    }

    /** dynalite's errors: `statusCode` and `body` are what it sends to the client. */
    interface ServiceError extends Error {
      statusCode?: number;
      body?: { readonly __type: string; readonly message?: string; readonly Message?: string; readonly Item?: Item };
    }

    type Callback<T> = (error: ServiceError | null | undefined, result?: T) => void;

    /** One of dynalite's actions (`dynalite/actions/<action>.js`): runs a request on the store. */
    type Action<Result = object> = (store: Store, data: object, callback: Callback<Result>) => void;

    /** Wraps a callback so that calling it first releases the lock (package `lock`). */
    type Release = (done: (...args: unknown[]) => void) => (...args: unknown[]) => void;

    /**
     * The per-sub-database lock (package `lock`): `exec` runs once every key is free, FIFO per key.
     * An array of keys is queued on all of its keys at once.
     */
    interface Lock {
      (key: string | readonly string[], exec: (release: Release) => void): void;
      isLocked(key: string): boolean;
    }

    /** A key-prefixed view of the main LevelDB (items of one table, or one index). */
    interface SubDb {
      lock: Lock;
      get(key: string, callback: (error: Error | null | undefined, value?: Item) => void): void;
      put(key: string, value: Item, callback: (error?: Error | null) => void): void;
      del(key: string, callback: (error?: Error | null) => void): void;
    }

    /** One operation of a LevelDB batch; `key` includes the sub-database prefix. */
    interface BatchOperation {
      readonly type: "put" | "del";
      readonly key: string;
      readonly value?: Item;
    }

    /** The main LevelDB (JSON values), wrapped by dynalite with callbacks. */
    interface LevelDb {
      batch(operations: readonly BatchOperation[], callback: (error?: Error | null) => void): void;
    }

    /** The store `db.create()` returns and every action receives. */
    interface Store {
      readonly options: { readonly maxItemSize: number };
      readonly db: LevelDb;
      /** Table descriptions by name, with their status (`CREATING`, `ACTIVE`, `DELETING`, …). */
      readonly tableDb: {
        get(name: string, callback: (error: Error | null | undefined, value?: { readonly TableStatus?: string }) => void): void;
      };
      getItemDb(tableName: string): SubDb;
      getIndexDb(indexType: string, tableName: string, indexName: string): SubDb;
      getTable(tableName: string, callback: Callback<Table>): void;
    }

    function create(options: object): Store;
    function createKey(item: Item, table: Table): string;
    function checkConditional(data: object, existingItem: Item | undefined): ServiceError | null | undefined;
    function itemSize(item: Item): number;
    function capacityUnits(item: Item | undefined, isRead: boolean, isConsistent: boolean): number;
    function validateItem(item: Item, table: Table): ServiceError | undefined;
    function validateUpdates(attributeUpdates: unknown, expressionUpdates: unknown, table: Table): ServiceError | undefined;
    function validateKeyPaths(nestedPaths: unknown, table: Table): ServiceError | undefined;
    function validationError(message: string): ServiceError;
  }
  export = db;
}

declare module "dynalite/validations/index.js" {
  namespace validations {
    /** Converts and checks JSON types against a type tree; throws a SerializationException. */
    function checkTypes(data: unknown, types: object): Record<string, unknown>;
    /** Checks constraints (not null, enums, lengths, …) and then `custom`; throws a ValidationException. */
    function checkValidations(
      data: Record<string, unknown>,
      types: object,
      custom?: (data: Record<string, unknown>, store: unknown) => string | undefined,
      store?: unknown,
    ): void;

    /**
     * What `dynalite/validations/<action>.js` exports: the request's type tree, and the action's own
     * checks that follow it (putItem's take the store too; the others ignore it).
     */
    interface ActionValidation {
      readonly types: Readonly<Record<string, object | string>>;
      custom(data: Record<string, unknown>, store?: unknown): string | undefined;
    }
  }
  export = validations;
}

// The modules of one kind share their form; the ones that differ are declared on their own above or
// below (an exact declaration takes precedence over a pattern).

declare module "dynalite/validations/*.js" {
  import type validations from "dynalite/validations/index.js";
  const validation: validations.ActionValidation;
  export = validation;
}

declare module "dynalite/actions/*.js" {
  import type db from "dynalite/db/index.js";
  const action: db.Action;
  export = action;
}

declare module "dynalite/actions/getItem.js" {
  import type db from "dynalite/db/index.js";
  const getItem: db.Action<{ readonly Item?: db.Item; readonly ConsumedCapacity?: { readonly CapacityUnits: number } }>;
  export = getItem;
}
