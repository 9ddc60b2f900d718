import { codedError } from "@projectionkit/core";

declare module "@projectionkit/core" {
  interface ProjectionKitErrorCodes {
    ERR_TOO_MANY_ACTIONS: TooManyActionsError;
    ERR_TRANSACTION_TOO_LARGE: TransactionTooLargeError;
    ERR_DUPLICATE_ITEM: DuplicateItemError;
    ERR_VERSION_ITEM_TOUCHED: VersionItemTouchedError;
    ERR_ITEM_TOO_LARGE: ItemTooLargeError;
    ERR_KEY_TOO_LARGE: KeyTooLargeError;
  }
}

/**
 * A transaction would have more actions than `TransactWriteItems` accepts (100, the version write
 * included), so it was not sent and nothing was written (D9). Not retryable: the same items fail
 * again. Return fewer items from one event, or batch fewer events.
 *
 * Code: `ERR_TOO_MANY_ACTIONS`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_TOO_MANY_ACTIONS")) {
 *   console.error(`${error.actions} actions, at most ${error.limit}`);
 * }
 * ```
 */
export class TooManyActionsError extends codedError("ERR_TOO_MANY_ACTIONS", "TooManyActionsError") {
  /** How many actions the transaction would have had, the version write included. */
  readonly actions: number;
  /** The most actions one transaction may have, the version write included. */
  readonly limit: number;
  /** The index, in the items being added, of the first action over the limit. */
  readonly index: number | undefined;

  /**
   * @param actions - the actions the transaction would have had, the version write included.
   * @param limit - the most actions allowed.
   * @param index - the index of the first action over the limit in the items being added.
   */
  constructor(actions: number, limit: number, index?: number) {
    super(
      `a transaction would have ${actions} actions (the version write included), more than the limit of ${limit}; split the event's items over several events or return fewer items`,
    );
    this.actions = actions;
    this.limit = limit;
    this.index = index;
  }
}

/**
 * A transaction's items would exceed the size limit of `TransactWriteItems` (4 MB, measured with
 * DynamoDB's item-size rules, see `transactActionSize`), so it was not sent and nothing was written
 * (D9). Not retryable. Split the event's items, or keep large data out of the read model.
 *
 * Code: `ERR_TRANSACTION_TOO_LARGE`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_TRANSACTION_TOO_LARGE")) {
 *   console.error(`${error.bytes} bytes, at most ${error.limit}`);
 * }
 * ```
 */
export class TransactionTooLargeError extends codedError("ERR_TRANSACTION_TOO_LARGE", "TransactionTooLargeError") {
  /** The size the transaction would have had, in bytes, the version write included. */
  readonly bytes: number;
  /** The largest size allowed, in bytes. */
  readonly limit: number;
  /**
   * The index, in the items being added, of the first action that goes over the limit, or
   * `undefined` when the version write alone is too large.
   */
  readonly index: number | undefined;

  /**
   * @param bytes - the size the transaction would have had.
   * @param limit - the largest size allowed.
   * @param index - the index of the first action over the limit in the items being added.
   */
  constructor(bytes: number, limit: number, index?: number) {
    super(
      `a transaction would have ${bytes} bytes of items (the version write included), more than the limit of ${limit}; split the event's items over several events or make the items smaller`,
    );
    this.bytes = bytes;
    this.limit = limit;
    this.index = index;
  }
}

/**
 * Two actions of one transaction would touch the same item (same table and key), which
 * `TransactWriteItems` rejects, so it was not sent and nothing was written (D9). Within one event's
 * items this is a bug in the handler: merge the two actions into one. Batching (D10) never puts two
 * events' actions on one item into one transaction; it splits instead.
 *
 * Code: `ERR_DUPLICATE_ITEM`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_DUPLICATE_ITEM")) {
 *   console.error(`item ${error.index} touches an item already in the transaction`);
 * }
 * ```
 */
export class DuplicateItemError extends codedError("ERR_DUPLICATE_ITEM", "DuplicateItemError") {
  /**
   * The index, in the items being added, of the action that makes the duplicate: the second action
   * on the item, or the action whose `Key` revealed the key schema of two earlier `Put`s.
   */
  readonly index: number;
  /** The table of the item touched twice. */
  readonly table: string;

  /**
   * @param index - the index of the offending action in the items being added.
   * @param table - the table of the item touched twice.
   */
  constructor(index: number, table: string) {
    super(
      `items[${index}] makes two actions of one transaction touch the same item of table "${table}"; DynamoDB allows one action per item in a transaction, so merge them into one action`,
    );
    this.index = index;
    this.table = table;
  }
}

/**
 * One of the projection's items would write, delete or check an item of the version table (D14):
 * the resource's own version item, another resource's, or another handler's. The version table
 * belongs to projectionkit (its conditional write is action 0 of the transaction), so any action
 * on it, by its name or by its ARN, whatever the key, is refused: the transaction was not sent and
 * nothing was written. Not retryable. Keep read-model items in other tables; read a version with
 * `resourceVersion`.
 *
 * Code: `ERR_VERSION_ITEM_TOUCHED`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_VERSION_ITEM_TOUCHED")) {
 *   console.error(`items[${error.index}] targets the version table ${error.table}`);
 * }
 * ```
 */
export class VersionItemTouchedError extends codedError("ERR_VERSION_ITEM_TOUCHED", "VersionItemTouchedError") {
  /** The index, in the items being added, of the action on the version table. */
  readonly index: number;
  /** The version table. */
  readonly table: string;

  /**
   * @param index - the index of the offending action in the items being added.
   * @param table - the version table.
   */
  constructor(index: number, table: string) {
    super(
      `items[${index}] targets the version table "${table}", which belongs to projectionkit (every resource's and every handler's version lives there); write the read model to another table`,
    );
    this.index = index;
    this.table = table;
  }
}

/**
 * A `Put` of the projection would write an item larger than DynamoDB's limit of 400 KB (409,600
 * bytes, measured with DynamoDB's item-size rules, see `itemSize`), so the transaction was not
 * sent and nothing was written (D15). Not retryable. Keep large data out of the read model (or in
 * S3, with a pointer in the item).
 *
 * Code: `ERR_ITEM_TOO_LARGE`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_ITEM_TOO_LARGE")) {
 *   console.error(`items[${error.index}] is ${error.bytes} bytes, at most ${error.limit}`);
 * }
 * ```
 */
export class ItemTooLargeError extends codedError("ERR_ITEM_TOO_LARGE", "ItemTooLargeError") {
  /** The index, in the items being added, of the too-large `Put`. */
  readonly index: number;
  /** Its table. */
  readonly table: string;
  /** The item's size in bytes. */
  readonly bytes: number;
  /** The largest item DynamoDB accepts, in bytes. */
  readonly limit: number;

  /**
   * @param index - the index of the offending action in the items being added.
   * @param table - its table.
   * @param bytes - the item's size.
   * @param limit - the largest size allowed.
   */
  constructor(index: number, table: string, bytes: number, limit: number) {
    super(`items[${index}] would write an item of ${bytes} bytes to table "${table}", more than DynamoDB's limit of ${limit} bytes (400 KB)`);
    this.index = index;
    this.table = table;
    this.bytes = bytes;
    this.limit = limit;
  }
}

/**
 * A key attribute of one of the projection's items is larger than DynamoDB allows: 2048 bytes
 * for a partition key, 1024 bytes for a sort key (strings counted in UTF-8 bytes, binary in
 * bytes). The transaction was not sent and nothing was written (D15). Not retryable.
 *
 * Code: `ERR_KEY_TOO_LARGE`.
 *
 * @example
 * ```ts
 * if (isProjectionKitError(error, "ERR_KEY_TOO_LARGE")) {
 *   console.error(`${error.attribute}: ${error.bytes} bytes, at most ${error.limit}`);
 * }
 * ```
 */
export class KeyTooLargeError extends codedError("ERR_KEY_TOO_LARGE", "KeyTooLargeError") {
  /** The index, in the items being added, of the action with the key. */
  readonly index: number;
  /** Its table. */
  readonly table: string;
  /** The key attribute that is too large. */
  readonly attribute: string;
  /** Its size in bytes. */
  readonly bytes: number;
  /** Its limit: 2048 for a partition key, 1024 for a sort key. */
  readonly limit: number;

  /**
   * @param index - the index of the offending action in the items being added.
   * @param table - its table.
   * @param attribute - the key attribute.
   * @param bytes - its size.
   * @param limit - its limit.
   */
  constructor(index: number, table: string, attribute: string, bytes: number, limit: number) {
    super(
      `items[${index}] has a ${limit === 1024 ? "sort" : "partition"} key ${JSON.stringify(attribute.length > 40 ? `${attribute.slice(0, 40)}…` : attribute)} of ${bytes} bytes in table "${table}"; DynamoDB allows ${limit}`,
    );
    this.index = index;
    this.table = table;
    this.attribute = attribute;
    this.bytes = bytes;
    this.limit = limit;
  }
}
