import type { AttributeValue, TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { InvalidArgumentError } from "@projectionkit/core";
import { attributeValueSize, itemSize, parseDynamoNumber, transactActionKind, transactActionSize } from "./item-size.js";
import {
  DuplicateItemError,
  ItemTooLargeError,
  KeyTooLargeError,
  TooManyActionsError,
  TransactionTooLargeError,
  VersionItemTouchedError,
} from "./transaction-errors.js";
import { requestFingerprint } from "./request-fingerprint.js";
import { MAX_PARTITION_KEY_BYTES } from "./table-layout.js";

/**
 * The most actions one `TransactWriteItems` may have, the version write included.
 *
 * @example
 * ```ts
 * const room = MAX_TRANSACTION_ACTIONS - 1; // 99 of the projection's items per transaction
 * ```
 */
export const MAX_TRANSACTION_ACTIONS = 100;

/**
 * The largest aggregate size of the items of one `TransactWriteItems`, 4 MB (taken as 4 MiB =
 * 4,194,304 bytes), measured with {@link transactActionSize}.
 *
 * @example
 * ```ts
 * const budget = new TransactionBudget(context, versionAction, { maxBytes: MAX_TRANSACTION_BYTES / 2 });
 * ```
 */
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

/**
 * The largest item DynamoDB stores, 400 KB (409,600 bytes), measured with `itemSize`. DynamoDB
 * Local 1.25.1 accepts an item of exactly this size and rejects one byte more (measured).
 *
 * @example
 * ```ts
 * if (itemSize(item) > MAX_ITEM_BYTES) keepTheBlobElsewhere();
 * ```
 */
export const MAX_ITEM_BYTES = 400 * 1024;

/**
 * The largest sort key value, in bytes (UTF-8 for strings); a partition key value may have
 * `MAX_PARTITION_KEY_BYTES` (2048). DynamoDB Local 1.25.1 accepts exactly these sizes and rejects
 * one byte more (measured).
 *
 * @example
 * ```ts
 * Buffer.byteLength(entryId, "utf8") <= MAX_SORT_KEY_BYTES;
 * ```
 */
export const MAX_SORT_KEY_BYTES = 1024;

/**
 * What a {@link TransactionBudget} needs to know about the transaction it checks: where the version
 * item is (it is projectionkit's own and always action 0 of the transaction; no other action may
 * touch its table), and optionally the key attribute names of the user's tables, which identify
 * the item of a `Put` (its request does not say which attributes are the key) and tell the
 * partition key (first) from the sort key (second) for their size limits.
 *
 * @example
 * ```ts
 * const context: TransactionContext = {
 *   versionTable: "ProjectionVersions",
 *   versionKeyAttribute: "HandlerAndResource",
 *   versionKey: versionItemKey(handlerKey, resource),
 *   keySchemas: { Balances: ["account"], Entries: ["account", "entryId"] },
 * };
 * ```
 */
export interface TransactionContext {
  /** The table of the version item. */
  readonly versionTable: string;
  /** The name of the version table's (binary) partition key attribute. */
  readonly versionKeyAttribute: string;
  /** The bytes of the version item's key. */
  readonly versionKey: Uint8Array;
  /** The key attribute names of user tables, by table name: the partition key, then the sort key if any. */
  readonly keySchemas?: Readonly<Record<string, readonly string[]>> | undefined;
}

/**
 * Limits of a {@link TransactionBudget}; DynamoDB's own limits when omitted. Lower limits leave
 * room, e.g. for items a decorator adds.
 *
 * @example
 * ```ts
 * const limits: TransactionLimits = { maxActions: 50 };
 * ```
 */
export interface TransactionLimits {
  /** The most actions, the version write included; {@link MAX_TRANSACTION_ACTIONS} by default. */
  readonly maxActions?: number;
  /** The largest size in bytes, the version write included; {@link MAX_TRANSACTION_BYTES} by default. */
  readonly maxBytes?: number;
}

/**
 * Why items do not fit a {@link TransactionBudget}: too many actions, too many bytes, two actions
 * on one item, an action on the version table (`"version-item"`), an item over 400 KB or a key
 * over its limit.
 *
 * @example
 * ```ts
 * const reason: BudgetFailureReason = "duplicate-item";
 * ```
 */
export type BudgetFailureReason = "too-many-actions" | "too-large" | "duplicate-item" | "version-item" | "item-too-large" | "key-too-large";

/**
 * The answer of {@link TransactionBudget.check}. When the items do not fit, `index` is the index
 * in the checked items of the first action that makes the transaction invalid: the items before
 * it fit, and `reason` says why that one does not. At one action, `"version-item"` is reported
 * first, then `"item-too-large"`, `"key-too-large"`, `"duplicate-item"`, `"too-many-actions"` and
 * `"too-large"`.
 *
 * @example
 * ```ts
 * const result: BudgetCheck = budget.check(items);
 * if (!result.fits) console.error(`items[${result.index}]: ${result.reason}`);
 * ```
 */
export type BudgetCheck =
  | { readonly fits: true }
  | { readonly fits: false; readonly reason: BudgetFailureReason; readonly index: number };

/** A key value in canonical text, or `undefined` for anything that cannot be a key. */
function canonicalKeyValue(value: AttributeValue | undefined): string | undefined {
  if (typeof value !== "object" || value === null) {
    return undefined;
  }
  if (typeof value.S === "string") {
    return `S:${value.S}`;
  }
  if (typeof value.N === "string") {
    // "1", "1.0" and "10e-1" are one number, hence one key.
    const parts = parseDynamoNumber(value.N);
    if (parts === undefined) {
      return `N?:${value.N}`;
    }
    return parts.digits.length === 0 ? "N:0" : `N:${parts.negative ? "-" : ""}0.${parts.digits}e${parts.point}`;
  }
  const binary: unknown = value.B;
  if (ArrayBuffer.isView(binary)) {
    return `B:${Buffer.from(binary.buffer, binary.byteOffset, binary.byteLength).toString("hex")}`;
  }
  if (typeof binary === "string") {
    // The SDK sends a string given as binary as its UTF-8 bytes.
    return `B:${Buffer.from(binary, "utf8").toString("hex")}`;
  }
  return undefined;
}

/** The identity of the item with key attributes `names` taken from `attributes`. */
function identityOf(table: string, names: readonly string[], attributes: Readonly<Record<string, AttributeValue>>): string | undefined {
  const parts: string[] = [table];
  for (const name of names.length === 1 ? names : [...new Set(names)].sort()) {
    const value = canonicalKeyValue(Object.hasOwn(attributes, name) ? attributes[name] : undefined);
    if (value === undefined) {
      return undefined;
    }
    parts.push(name, value);
  }
  return parts.length === 1 ? undefined : JSON.stringify(parts);
}

/** The identity of the version item of `context`. */
function versionIdentity(context: TransactionContext): string | undefined {
  return identityOf(context.versionTable, [context.versionKeyAttribute], { [context.versionKeyAttribute]: { B: context.versionKey } });
}

/**
 * Whether an action's key or item is, plainly, on the version item: its only key attribute (or,
 * for an item, its key attribute) holds the version key's bytes as `B`. When this says no, the
 * general identity comparison decides.
 */
function isOnVersionItem(
  context: TransactionContext,
  table: string,
  key: Readonly<Record<string, AttributeValue>> | undefined,
  item: Readonly<Record<string, AttributeValue>> | undefined,
): boolean {
  const attributes = key ?? item;
  if (table !== context.versionTable || attributes === undefined || !Object.hasOwn(attributes, context.versionKeyAttribute)) {
    return false;
  }
  if (key !== undefined) {
    for (const name in key) {
      if (name !== context.versionKeyAttribute && Object.hasOwn(key, name) && key[name] !== undefined && key[name] !== null) {
        return false;
      }
    }
  }
  const value = attributes[context.versionKeyAttribute];
  if (typeof value !== "object" || value === null || typeof value.S === "string" || typeof value.N === "string" || !(value.B instanceof Uint8Array)) {
    return false;
  }
  return Buffer.compare(value.B, context.versionKey) === 0;
}

/** The attribute names of a `Key`. */
function keyNames(key: Readonly<Record<string, AttributeValue>>): string[] {
  const names: string[] = [];
  for (const name in key) {
    const value = key[name];
    if (value !== undefined && value !== null && Object.hasOwn(key, name)) {
      names.push(name);
    }
  }
  return names.length > 1 ? names.sort() : names;
}

/** The table, and `Key` or `Item`, of an action whose kind has been checked. */
function partsOf(action: TransactWriteItem, argument: string): { table: string; key?: Record<string, AttributeValue>; item?: Record<string, AttributeValue> } {
  const kind = transactActionKind(action, argument);
  if (kind === "Put") {
    const put = action.Put as { TableName: string; Item: Record<string, AttributeValue> };
    return { table: put.TableName, item: put.Item };
  }
  const body = action[kind] as { TableName: string; Key: Record<string, AttributeValue> };
  return { table: body.TableName, key: body.Key };
}

/**
 * A canonical text that identifies the item an action touches: the table name and the key
 * attributes' names and values, names in sorted order, values typed (`S`, `N` or `B`), numbers
 * normalised (`"1"` and `"1.0"` are one key) and binary compared by bytes. `Update`, `Delete` and
 * `ConditionCheck` carry their `Key`; for a `Put` the key attributes are those of
 * `keySchemas[table]`, and without a declared schema (or when the item lacks a key attribute) the
 * identity is unknown: `undefined`. (A {@link TransactionBudget} also learns key schemas from the
 * other actions of the transaction and knows the version table's.)
 *
 * @param action - one element of `TransactItems`.
 * @param keySchemas - key attribute names by table, for `Put`s.
 * @returns the identity, or `undefined` when it cannot be known.
 * @throws `InvalidArgumentError` naming `"action"` unless exactly one of `Put`, `Update`, `Delete`,
 *   `ConditionCheck` is set with a table name and an `Item` or `Key`.
 *
 * @example
 * ```ts
 * const update = { Update: { TableName: "T", Key: { sk: { N: "1.0" }, pk: { S: "a" } }, UpdateExpression: "SET x = :x" } };
 * const put = { Put: { TableName: "T", Item: { pk: { S: "a" }, sk: { N: "1" }, x: { S: "y" } } } };
 * actionItemIdentity(update) === actionItemIdentity(put, { T: ["pk", "sk"] }); // true
 * actionItemIdentity(put); // undefined: which attributes are the key is not known
 * ```
 */
export function actionItemIdentity(
  action: TransactWriteItem,
  keySchemas?: Readonly<Record<string, readonly string[]>>,
): string | undefined {
  const { table, key, item } = partsOf(action, "action");
  if (key !== undefined) {
    return identityOf(table, keyNames(key), key);
  }
  const schema = keySchemas !== undefined && Object.hasOwn(keySchemas, table) ? keySchemas[table] : undefined;
  return schema === undefined || item === undefined ? undefined : identityOf(table, schema, item);
}

/**
 * The mutable part of a budget; copied by `check`, replaced by `add`. Its collections are made when
 * first needed: a commit checks a budget per event, and most hold one or two items.
 */
interface BudgetState {
  actions: number;
  bytes: number;
  /** The identities of the items already touched, with their tables. */
  identities: Map<string, string> | undefined;
  /** Key attribute names learned from `Key`s, by table. */
  learned: Map<string, readonly string[]> | undefined;
  /** The items of `Put`s whose identity is not known yet, by table. */
  pending: Map<string, Array<Readonly<Record<string, AttributeValue>>>> | undefined;
  /** The tables and canonical items of those `Put`s: an identical `Put` is on the same item. */
  pendingItems: Set<string> | undefined;
}

function copyState(state: BudgetState): BudgetState {
  return {
    actions: state.actions,
    bytes: state.bytes,
    identities: state.identities && new Map(state.identities),
    learned: state.learned && new Map(state.learned),
    pending: state.pending && new Map([...state.pending].map(([table, items]) => [table, [...items]])),
    pendingItems: state.pendingItems && new Set(state.pendingItems),
  };
}

/** The failure of a scan, with what the typed errors report. */
interface ScanFailure {
  readonly reason: BudgetFailureReason;
  readonly index: number;
  readonly table: string;
  /** For `"item-too-large"` and `"key-too-large"`: what is too large, how much, and the limit. */
  readonly size?: { readonly attribute: string | undefined; readonly bytes: number; readonly limit: number };
}

/** A key value's size for the key limits: the bytes of a string or binary; numbers are small. */
function keyValueBytes(value: AttributeValue | undefined): number {
  if (value === undefined || value === null || (value.S === undefined && value.B === undefined)) {
    return 0;
  }
  return attributeValueSize(value);
}

function checkLimit(value: number | undefined, fallback: number, argument: string): number {
  if (value === undefined) {
    return fallback;
  }
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(argument, "expected a positive integer");
  }
  return value;
}

/**
 * The actions and bytes of one `TransactWriteItems` so far, to add the projection's items to it
 * while they fit DynamoDB's limits (D9) and to split batches of events into transactions (D10).
 * It starts holding the version write, which the caller passes to the constructor (it is action 0
 * of the transaction). No I/O.
 *
 * An action does not fit when the transaction would then have more than `maxActions` actions or
 * `maxBytes` bytes (sizes by {@link transactActionSize}), when it touches the version table, by
 * name or ARN, whatever its key (`"version-item"`, D14), when a `Put`'s item is over
 * {@link MAX_ITEM_BYTES} (`"item-too-large"`), when a key value is over
 * {@link MAX_PARTITION_KEY_BYTES} or, for a sort key, {@link MAX_SORT_KEY_BYTES}
 * (`"key-too-large"`, D15), or when it touches an item another action of the transaction already
 * touches (`"duplicate-item"`), by {@link actionItemIdentity}. The identity of a `Put` comes from
 * `context.keySchemas`, else from the key attribute names of the `Key`s of other actions on the
 * same table in this transaction (remembered across `add`s, so a later `Update` can reveal that
 * two earlier `Put`s were on one item); without either, only a `Put` identical to an earlier one
 * is known to be a duplicate. Which key attribute is the sort key is known only from
 * `context.keySchemas` (the second name); without it only the partition key limit is checked on a
 * two-attribute key.
 *
 * @example
 * ```ts
 * const budget = new TransactionBudget(context, versionAction);
 * if (budget.check(event.items).fits) {
 *   budget.add(event.items); // 1 + event.items.length actions
 * }
 * ```
 */
export class TransactionBudget {
  /** The most actions, the version write included. */
  readonly maxActions: number;
  /** The largest size in bytes, the version write included. */
  readonly maxBytes: number;
  readonly #context: TransactionContext;
  #state: BudgetState;

  /**
   * @param context - the version item's table, key attribute and key, and the user tables' key
   *   schemas.
   * @param versionAction - the version write, action 0 of the transaction; it must be on the
   *   version item.
   * @param limits - lower limits than DynamoDB's, if wanted.
   * @throws `InvalidArgumentError` when the context, the version action or a limit is malformed;
   *   `TransactionTooLargeError` (with no index) when the version write alone is over `maxBytes`.
   */
  constructor(context: TransactionContext, versionAction: TransactWriteItem, limits: TransactionLimits = {}) {
    if (typeof context !== "object" || context === null) {
      throw new InvalidArgumentError("context", "expected a TransactionContext");
    }
    if (typeof context.versionTable !== "string" || context.versionTable.length === 0) {
      throw new InvalidArgumentError("context.versionTable", "expected the version table's name");
    }
    if (typeof context.versionKeyAttribute !== "string" || context.versionKeyAttribute.length === 0) {
      throw new InvalidArgumentError("context.versionKeyAttribute", "expected the version table's key attribute name");
    }
    if (!(context.versionKey instanceof Uint8Array) || context.versionKey.length === 0) {
      throw new InvalidArgumentError("context.versionKey", "expected the version item's key as a non-empty Uint8Array");
    }
    this.maxActions = checkLimit(limits.maxActions, MAX_TRANSACTION_ACTIONS, "limits.maxActions");
    this.maxBytes = checkLimit(limits.maxBytes, MAX_TRANSACTION_BYTES, "limits.maxBytes");
    this.#context = context;
    const bytes = transactActionSize(versionAction, "versionAction");
    const { table, key, item } = partsOf(versionAction, "versionAction");
    if (!isOnVersionItem(context, table, key, item) && this.#identity(table, key ?? item ?? {}, key !== undefined, new Map()) !== versionIdentity(context)) {
      throw new InvalidArgumentError("versionAction", "expected the action on the version item given by the context");
    }
    if (bytes > this.maxBytes) {
      throw new TransactionTooLargeError(bytes, this.maxBytes);
    }
    this.#state = {
      actions: 1,
      bytes,
      // The version item is not listed: an action on the version table fails before identities
      // are compared ("version-item"), and no other table's item has its identity.
      identities: undefined,
      learned: undefined,
      pending: undefined,
      pendingItems: undefined,
    };
  }

  /** How many actions the transaction has so far, the version write included. */
  get actions(): number {
    return this.#state.actions;
  }

  /** How many bytes the transaction has so far, the version write included. */
  get bytes(): number {
    return this.#state.bytes;
  }

  /**
   * Tells whether `items` would fit, without adding them.
   *
   * @param items - actions to add after those already in the transaction.
   * @returns `{ fits: true }`, or why not and the index in `items` of the first action that does
   *   not fit.
   * @throws `InvalidArgumentError` naming `items[i]` when an action is malformed (not exactly one
   *   of `Put`, `Update`, `Delete`, `ConditionCheck`; no table name, `Item` or `Key`; a malformed
   *   value), wherever it is in `items`.
   *
   * @example
   * ```ts
   * const result = budget.check(items);
   * if (!result.fits && result.reason === "too-many-actions") startAnotherTransaction();
   * ```
   */
  check(items: readonly TransactWriteItem[]): BudgetCheck {
    const { failure } = this.#scan(items);
    return failure === undefined ? { fits: true } : { fits: false, reason: failure.reason, index: failure.index };
  }

  /**
   * Adds `items` to the transaction if they fit; otherwise adds nothing and throws the typed error
   * of the reason {@link TransactionBudget.check} gives.
   *
   * @param items - actions to add after those already in the transaction.
   * @throws `TooManyActionsError`, `TransactionTooLargeError`, `DuplicateItemError`,
   *   `VersionItemTouchedError`, `ItemTooLargeError` or `KeyTooLargeError` when they do not fit;
   *   `InvalidArgumentError` naming `items[i]` when an action is malformed.
   *
   * @example
   * ```ts
   * budget.add([{ Put: { TableName: "Entries", Item: { id: { S: "e-1" } } } }]);
   * ```
   */
  add(items: readonly TransactWriteItem[]): void {
    const { failure, state, sizes } = this.#scan(items);
    if (failure === undefined) {
      this.#state = state;
      return;
    }
    switch (failure.reason) {
      case "version-item":
        throw new VersionItemTouchedError(failure.index, this.#context.versionTable);
      case "item-too-large":
        throw new ItemTooLargeError(failure.index, failure.table, failure.size?.bytes ?? 0, failure.size?.limit ?? MAX_ITEM_BYTES);
      case "key-too-large":
        throw new KeyTooLargeError(failure.index, failure.table, failure.size?.attribute ?? "", failure.size?.bytes ?? 0, failure.size?.limit ?? MAX_PARTITION_KEY_BYTES);
      case "duplicate-item":
        throw new DuplicateItemError(failure.index, failure.table);
      case "too-many-actions":
        throw new TooManyActionsError(this.#state.actions + items.length, this.maxActions, failure.index);
      case "too-large":
        throw new TransactionTooLargeError(
          sizes.reduce((sum, size) => sum + size, this.#state.bytes),
          this.maxBytes,
          failure.index,
        );
    }
  }

  /** Whether `table` names the version table, by its name or by a table ARN. */
  #isVersionTable(table: string): boolean {
    const versionTable = this.#context.versionTable;
    return table === versionTable || (table.startsWith("arn:") && table.endsWith(`:table/${versionTable}`));
  }

  /** The declared key schema of `table` (partition key first), if any. */
  #declaredSchema(table: string): readonly string[] | undefined {
    const schemas = this.#context.keySchemas;
    return schemas !== undefined && Object.hasOwn(schemas, table) ? schemas[table] : undefined;
  }

  /** An item over the size limit, or a key value over its limit, in one action. */
  #sizeFailure(
    table: string,
    key: Readonly<Record<string, AttributeValue>> | undefined,
    item: Readonly<Record<string, AttributeValue>> | undefined,
    learned: ReadonlyMap<string, readonly string[]> | undefined,
    index: number,
  ): ScanFailure | undefined {
    if (item !== undefined) {
      const bytes = itemSize(item as Record<string, AttributeValue>, `items[${index}].Put.Item`);
      if (bytes > MAX_ITEM_BYTES) {
        return { reason: "item-too-large", index, table, size: { attribute: undefined, bytes, limit: MAX_ITEM_BYTES } };
      }
    }
    const attributes = key ?? item ?? {};
    const declared = this.#declaredSchema(table);
    const names = declared ?? (key === undefined ? learned?.get(table) : keyNames(key)) ?? [];
    for (const [position, name] of names.entries()) {
      // Only a declared schema says which attribute is the sort key (its second name).
      const limit = declared !== undefined && position === 1 ? MAX_SORT_KEY_BYTES : MAX_PARTITION_KEY_BYTES;
      const bytes = keyValueBytes(Object.hasOwn(attributes, name) ? attributes[name] : undefined);
      if (bytes > limit) {
        return { reason: "key-too-large", index, table, size: { attribute: name, bytes, limit } };
      }
    }
    return undefined;
  }

  /** The key attribute names of `table` for a `Put`, if known. */
  #schema(table: string, learned: ReadonlyMap<string, readonly string[]> | undefined): readonly string[] | undefined {
    const context = this.#context;
    if (table === context.versionTable) {
      return [context.versionKeyAttribute];
    }
    if (context.keySchemas !== undefined && Object.hasOwn(context.keySchemas, table)) {
      return context.keySchemas[table];
    }
    return learned?.get(table);
  }

  #identity(
    table: string,
    attributes: Readonly<Record<string, AttributeValue>>,
    isKey: boolean,
    learned: ReadonlyMap<string, readonly string[]> | undefined,
  ): string | undefined {
    if (isKey) {
      return identityOf(table, keyNames(attributes), attributes);
    }
    const schema = this.#schema(table, learned);
    return schema === undefined ? undefined : identityOf(table, schema, attributes);
  }

  /** Walks `items` in order on a copy of the state; stops at the first that does not fit. */
  #scan(items: readonly TransactWriteItem[]): { failure: ScanFailure | undefined; state: BudgetState; sizes: number[] } {
    if (!Array.isArray(items)) {
      throw new InvalidArgumentError("items", "expected an array of TransactWriteItems");
    }
    const sizes: number[] = [];
    for (let index = 0; index < items.length; index++) {
      sizes.push(transactActionSize(items[index] as TransactWriteItem, `items[${index}]`));
    }
    const state = copyState(this.#state);
    for (let index = 0; index < items.length; index++) {
      const { table, key, item } = partsOf(items[index] as TransactWriteItem, `items[${index}]`);
      let reason: BudgetFailureReason | undefined;
      if (this.#isVersionTable(table)) {
        reason = "version-item";
      } else {
        const tooLarge = this.#sizeFailure(table, key, item, state.learned, index);
        if (tooLarge !== undefined) {
          return { failure: tooLarge, state, sizes };
        }
        reason = this.#place(state, table, key, item, sizes[index] ?? 0);
      }
      if (reason !== undefined) {
        return { failure: { reason, index, table }, state, sizes };
      }
    }
    return { failure: undefined, state, sizes };
  }

  /** Adds one action of `size` bytes to `state`; the reason it does not fit, if it does not. */
  #place(
    state: BudgetState,
    table: string,
    key: Readonly<Record<string, AttributeValue>> | undefined,
    item: Readonly<Record<string, AttributeValue>> | undefined,
    size: number,
  ): BudgetFailureReason | undefined {
    const identity = this.#identity(table, key ?? item ?? {}, key !== undefined, state.learned);
    if (key !== undefined && this.#schema(table, state.learned) === undefined) {
      // The first Key on this table reveals its key schema, and so the items of earlier Puts.
      const names = keyNames(key);
      (state.learned ??= new Map()).set(table, names);
      for (const earlier of state.pending?.get(table) ?? []) {
        const revealed = identityOf(table, names, earlier);
        if (revealed !== undefined) {
          if (state.identities?.has(revealed) === true) {
            return "duplicate-item";
          }
          (state.identities ??= new Map()).set(revealed, table);
        }
      }
      state.pending?.delete(table);
    }
    if (identity !== undefined && state.identities?.has(identity) === true) {
      return "duplicate-item";
    }
    const canonical = identity === undefined && item !== undefined ? requestFingerprint([table, item]) : undefined;
    if (canonical !== undefined && state.pendingItems?.has(canonical) === true) {
      // Two identical Puts are on one item, whichever attributes are its key.
      return "duplicate-item";
    }
    if (state.actions + 1 > this.maxActions) {
      return "too-many-actions";
    }
    if (state.bytes + size > this.maxBytes) {
      return "too-large";
    }
    state.actions += 1;
    state.bytes += size;
    if (identity !== undefined) {
      (state.identities ??= new Map()).set(identity, table);
    } else if (item !== undefined) {
      const pending = (state.pending ??= new Map()).get(table);
      if (pending === undefined) {
        state.pending.set(table, [item]);
      } else {
        pending.push(item);
      }
      (state.pendingItems ??= new Set()).add(canonical as string);
    }
    return undefined;
  }
}

/**
 * Checks a whole transaction before it is sent (D9): a new {@link TransactionBudget} holding the
 * version write, to which `items` are added.
 *
 * @param context - the version item and the user tables' key schemas.
 * @param versionAction - the version write, action 0 of the transaction.
 * @param items - the projection's actions, actions 1… of the transaction.
 * @param limits - lower limits than DynamoDB's, if wanted.
 * @returns the budget holding all of them.
 * @throws `TooManyActionsError`, `TransactionTooLargeError`, `DuplicateItemError`,
 *   `VersionItemTouchedError`, `ItemTooLargeError`, `KeyTooLargeError` (their `index` is into
 *   `items`), or `InvalidArgumentError` for a malformed action.
 *
 * @example
 * ```ts
 * checkTransaction(context, versionAction, items); // throws if DynamoDB would reject the limits
 * await client.send(new TransactWriteItemsCommand({ TransactItems: [versionAction, ...items] }));
 * ```
 */
export function checkTransaction(
  context: TransactionContext,
  versionAction: TransactWriteItem,
  items: readonly TransactWriteItem[],
  limits?: TransactionLimits,
): TransactionBudget {
  const budget = new TransactionBudget(context, versionAction, limits);
  budget.add(items);
  return budget;
}
