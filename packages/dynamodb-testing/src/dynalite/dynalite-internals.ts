/// <reference path="./dynalite-modules.d.ts" />
// The one place that loads dynalite's modules (CommonJS, no types: see ./dynalite-modules.d.ts).
// The transaction code reuses dynalite's own store, item locks, validations, condition evaluation,
// update-expression application, index maintenance and size arithmetic through these.
//
// They are loaded on the first startDynalite() (loadDynalite), not when the testing entry point is
// imported: users of startDynamoDBLocal alone never load dynalite, LevelDB or its native binding.
import type dynaliteFunction from "dynalite";
import type deleteItemActionType from "dynalite/actions/deleteItem.js";
import type getItemActionType from "dynalite/actions/getItem.js";
import type putItemActionType from "dynalite/actions/putItem.js";
import type updateItemActionType from "dynalite/actions/updateItem.js";
import type db from "dynalite/db/index.js";
import type deleteItemValidationType from "dynalite/validations/deleteItem.js";
import type getItemValidationType from "dynalite/validations/getItem.js";
import type validationsType from "dynalite/validations/index.js";
import type putItemValidationType from "dynalite/validations/putItem.js";
import type updateItemValidationType from "dynalite/validations/updateItem.js";
import type { Server } from "node:http";

/**
 * dynalite's store: tables, item sub-databases with their locks, the main LevelDB.
 *
 * @internal
 */
export type Store = db.Store;
/**
 * A table description as dynalite keeps it.
 *
 * @internal
 */
export type Table = db.Table;
/**
 * An item or key in DynamoDB's wire format.
 *
 * @internal
 */
export type Item = db.Item;
/**
 * An attribute value in DynamoDB's wire format.
 *
 * @internal
 */
export type AttributeValue = db.AttributeValue;
/**
 * An error as dynalite reports it (`statusCode` + `body`).
 *
 * @internal
 */
export type ServiceError = db.ServiceError;
/**
 * One operation of a LevelDB batch on the main database.
 *
 * @internal
 */
export type BatchOperation = db.BatchOperation;
/**
 * A key-prefixed sub-database with its lock.
 *
 * @internal
 */
export type SubDb = db.SubDb;
/**
 * dynalite's per-key lock (package `lock`).
 *
 * @internal
 */
export type Lock = db.Lock;

// dynalite's modules, set by loadDynalite(); the transaction code only runs after it.
let dynalite: typeof dynaliteFunction;
/**
 * `dynalite/db`: keys, conditions, sizes, validation helpers. Set by {@link loadDynalite}.
 *
 * @internal
 */
export let dynaliteDb: typeof db;
/**
 * `dynalite/validations`: type and constraint checks. Set by {@link loadDynalite}.
 *
 * @internal
 */
export let dynaliteValidations: typeof validationsType;
/**
 * dynalite's PutItem action. Set by {@link loadDynalite}.
 *
 * @internal
 */
export let putItemAction: typeof putItemActionType;
/**
 * dynalite's UpdateItem action. Set by {@link loadDynalite}.
 *
 * @internal
 */
export let updateItemAction: typeof updateItemActionType;
/**
 * dynalite's DeleteItem action. Set by {@link loadDynalite}.
 *
 * @internal
 */
export let deleteItemAction: typeof deleteItemActionType;
/**
 * dynalite's GetItem action. Set by {@link loadDynalite}.
 *
 * @internal
 */
export let getItemAction: typeof getItemActionType;
/**
 * dynalite's PutItem validation. Set by {@link loadDynalite}.
 *
 * @internal
 */
export let putItemValidation: typeof putItemValidationType;
/**
 * dynalite's UpdateItem validation. Set by {@link loadDynalite}.
 *
 * @internal
 */
export let updateItemValidation: typeof updateItemValidationType;
/**
 * dynalite's DeleteItem validation. Set by {@link loadDynalite}.
 *
 * @internal
 */
export let deleteItemValidation: typeof deleteItemValidationType;
/**
 * dynalite's GetItem validation. Set by {@link loadDynalite}.
 *
 * @internal
 */
export let getItemValidation: typeof getItemValidationType;

let loading: Promise<void> | undefined;

/**
 * Loads dynalite's modules (once). Everything else in this folder may use them afterwards.
 *
 * @internal
 * @returns once loaded.
 */
export function loadDynalite(): Promise<void> {
  loading ??= (async () => {
    const modules = await Promise.all([
      import("dynalite"),
      import("dynalite/db/index.js"),
      import("dynalite/validations/index.js"),
      import("dynalite/actions/putItem.js"),
      import("dynalite/actions/updateItem.js"),
      import("dynalite/actions/deleteItem.js"),
      import("dynalite/actions/getItem.js"),
      import("dynalite/validations/putItem.js"),
      import("dynalite/validations/updateItem.js"),
      import("dynalite/validations/deleteItem.js"),
      import("dynalite/validations/getItem.js"),
    ]);
    dynalite = modules[0].default;
    dynaliteDb = modules[1].default;
    dynaliteValidations = modules[2].default;
    putItemAction = modules[3].default;
    updateItemAction = modules[4].default;
    deleteItemAction = modules[5].default;
    getItemAction = modules[6].default;
    putItemValidation = modules[7].default;
    updateItemValidation = modules[8].default;
    deleteItemValidation = modules[9].default;
    getItemValidation = modules[10].default;
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/**
 * The options {@link createDynaliteServer} passes to dynalite.
 *
 * @internal
 */
export interface DynaliteServerOptions {
  readonly createTableMs: number;
  readonly deleteTableMs: number;
  readonly updateTableMs: number;
}

/**
 * Creates dynalite's HTTP server (not listening yet) together with its store. dynalite keeps the
 * store private to its request handler; it is captured by wrapping `db.create` for the duration of
 * the (synchronous) `dynalite()` call, so the transactions work on the very store, locks and
 * LevelDB that dynalite's own actions use. Call {@link loadDynalite} first.
 *
 * @internal
 * @param options - dynalite's table timing options.
 * @returns the server and its store.
 */
export function createDynaliteServer(options: DynaliteServerOptions): { server: Server; store: Store } {
  const module = dynaliteDb as { create: typeof db.create };
  const originalCreate = module.create;
  let captured: Store | undefined;
  module.create = (createOptions: object): Store => {
    captured = originalCreate(createOptions);
    return captured;
  };
  let server: Server;
  try {
    server = dynalite({ ...options });
  } finally {
    module.create = originalCreate;
  }
  if (captured === undefined) {
    throw new Error("dynalite did not create its store through db.create; is a version other than 4.0.0 installed?");
  }
  return { server, store: captured };
}

/**
 * Calls a dynalite callback-style function as a promise.
 *
 * @internal
 * @param run - calls its argument as the callback.
 * @returns the result, or rejects with dynalite's error.
 */
export function callDynalite<T>(run: (callback: db.Callback<T>) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    run((error, result) => {
      if (error !== null && error !== undefined) {
        reject(error);
      } else {
        resolve(result);
      }
    });
  });
}

/**
 * Whether an error is one of dynalite's client errors (it carries the status and body to send).
 *
 * @internal
 * @param error - anything thrown.
 * @returns `true` for a dynalite `ServiceError` with `statusCode` and `body`.
 */
export function isServiceError(error: unknown): error is ServiceError & Required<Pick<ServiceError, "statusCode" | "body">> {
  return (
    error instanceof Error &&
    typeof (error as ServiceError).statusCode === "number" &&
    typeof (error as ServiceError).body === "object"
  );
}
