import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { isProjectionKitError, isRetryableError, ProjectionKitError } from "@projectionkit/core";
import { transactActionSize } from "../../src/item-size.js";
import {
  DuplicateItemError,
  TooManyActionsError,
  TransactionTooLargeError,
  VersionItemTouchedError,
} from "../../src/transaction-errors.js";
import { checkTransaction, MAX_TRANSACTION_ACTIONS, MAX_TRANSACTION_BYTES, TransactionBudget } from "../../src/transaction-limits.js";
import { thrown } from "../../../../test/support/rejection.js";
import { context, put, remove, update, VERSION_KEY, versionAction } from "./fixtures.js";

const puts = (count: number, prefix = "k") => Array.from({ length: count }, (_, i) => put("Model", `${prefix}${i}`));

describe("D9: the action limit (100, the version write included)", () => {
  it("D9: a budget starts with the version write: 1 action and its size", () => {
    const budget = new TransactionBudget(context, versionAction);
    expect(budget.actions).toBe(1);
    expect(budget.bytes).toBe(transactActionSize(versionAction));
    expect(budget.maxActions).toBe(MAX_TRANSACTION_ACTIONS);
    expect(budget.maxBytes).toBe(MAX_TRANSACTION_BYTES);
    expect(MAX_TRANSACTION_ACTIONS).toBe(100);
    expect(MAX_TRANSACTION_BYTES).toBe(4_194_304);
  });

  it("D9: 99 items fit (100 actions with the version write); 100 items do not", () => {
    const budget = new TransactionBudget(context, versionAction);
    expect(budget.check(puts(99))).toEqual({ fits: true });
    expect(budget.check(puts(100))).toEqual({ fits: false, reason: "too-many-actions", index: 99 });
    budget.add(puts(99));
    expect(budget.actions).toBe(100);
  });

  it("D9/D10: the limit counts items of earlier adds", () => {
    const budget = new TransactionBudget(context, versionAction);
    budget.add(puts(60, "a"));
    budget.add(puts(39, "b"));
    expect(budget.check([put("Model", "c")])).toEqual({ fits: false, reason: "too-many-actions", index: 0 });
    expect(budget.check([])).toEqual({ fits: true });
  });

  it("D9: too many actions is a TooManyActionsError with the count, the limit and the index", () => {
    const error = thrown(() => checkTransaction(context, versionAction, puts(101)));
    expect(error).toBeInstanceOf(TooManyActionsError);
    expect(error).toMatchObject({ code: "ERR_TOO_MANY_ACTIONS", name: "TooManyActionsError", actions: 102, limit: 100, index: 99, retryable: false });
    expect((error as Error).message).toMatch(/split the event's items/);
  });

  it("D9: lower limits are honoured", () => {
    const budget = new TransactionBudget(context, versionAction, { maxActions: 3 });
    expect(budget.check(puts(2))).toEqual({ fits: true });
    expect(budget.check(puts(3))).toEqual({ fits: false, reason: "too-many-actions", index: 2 });
  });
});

describe("D9: the size limit (4 MB = 4 MiB of items)", () => {
  /** Puts on distinct keys whose sizes add up to exactly `total` bytes. */
  function itemsOfSize(total: number, count: number): TransactWriteItem[] {
    const items: TransactWriteItem[] = [];
    let left = total;
    for (let i = 0; i < count; i++) {
      const pk = `p${String(i).padStart(3, "0")}`;
      const overhead = 2 + pk.length + 4; // "pk" + value + "blob"
      const blob = i === count - 1 ? left - overhead : Math.floor(total / count) - overhead;
      items.push(put("Model", pk, { blob: { B: new Uint8Array(blob) } }));
      left -= overhead + blob;
    }
    expect(items.reduce((sum, item) => sum + transactActionSize(item), 0)).toBe(total);
    return items;
  }

  it("D9: items that bring the transaction to exactly 4 MiB fit; one byte more does not", () => {
    const budget = new TransactionBudget(context, versionAction);
    const room = MAX_TRANSACTION_BYTES - budget.bytes;
    expect(budget.check(itemsOfSize(room, 11))).toEqual({ fits: true });
    expect(budget.check(itemsOfSize(room + 1, 11))).toEqual({ fits: false, reason: "too-large", index: 10 });
    budget.add(itemsOfSize(room, 11));
    expect(budget.bytes).toBe(MAX_TRANSACTION_BYTES);
    expect(budget.check([update("Model", "zzz")])).toEqual({ fits: false, reason: "too-large", index: 0 });
  });

  it("D9: 11 Puts of about 390 KB are a TransactionTooLargeError with the size and the limit", () => {
    const big = "x".repeat(390_000);
    const items = Array.from({ length: 11 }, (_, i) => put("Model", `big-${i}`, { blob: { S: big } }));
    const error = thrown(() => checkTransaction(context, versionAction, items));
    const expected = transactActionSize(versionAction) + items.reduce((sum, item) => sum + transactActionSize(item), 0);
    expect(error).toBeInstanceOf(TransactionTooLargeError);
    expect(error).toMatchObject({ code: "ERR_TRANSACTION_TOO_LARGE", bytes: expected, limit: MAX_TRANSACTION_BYTES, index: 10, retryable: false });
    expect(checkTransaction(context, versionAction, items.slice(0, 10)).actions).toBe(11);
  });

  it("D9: a version write larger than the limit on its own is a TransactionTooLargeError without index", () => {
    expect(thrown(() => new TransactionBudget(context, versionAction, { maxBytes: 10 }))).toMatchObject({
      code: "ERR_TRANSACTION_TOO_LARGE",
      limit: 10,
      index: undefined,
    });
  });
});

describe("D9: one action per item", () => {
  it("D9: two actions on one key in one add are a DuplicateItemError at the second", () => {
    const items = [update("Model", "same"), put("Model", "other"), remove("Model", "same")];
    const budget = new TransactionBudget(context, versionAction);
    expect(budget.check(items)).toEqual({ fits: false, reason: "duplicate-item", index: 2 });
    const error = thrown(() => budget.add(items));
    expect(error).toBeInstanceOf(DuplicateItemError);
    expect(error).toMatchObject({ code: "ERR_DUPLICATE_ITEM", index: 2, table: "Model", retryable: false });
  });

  it("D10: an action on an item touched by an earlier add does not fit", () => {
    const budget = new TransactionBudget(context, versionAction);
    budget.add([update("Balances", "acc-1")]);
    expect(budget.check([update("Balances", "acc-2"), update("Balances", "acc-1")])).toEqual({ fits: false, reason: "duplicate-item", index: 1 });
    expect(budget.check([update("Other", "acc-1")])).toEqual({ fits: true });
  });

  it("D9: a declared key schema identifies Puts", () => {
    const budget = new TransactionBudget({ ...context, keySchemas: { Model: ["pk"] } }, versionAction);
    expect(budget.check([put("Model", "a"), put("Model", "a", { x: { S: "different" } })])).toEqual({
      fits: false,
      reason: "duplicate-item",
      index: 1,
    });
    expect(budget.check([put("Model", "a"), update("Model", "a")])).toEqual({ fits: false, reason: "duplicate-item", index: 1 });
  });

  it("D9: without a key schema, two Puts on one key with other attributes cannot be recognised (their key is unknown)", () => {
    const budget = new TransactionBudget(context, versionAction);
    expect(budget.check([put("Model", "a", { x: { S: "1" } }), put("Model", "a", { x: { S: "2" } })])).toEqual({ fits: true });
  });

  it("D15: without a key schema, two identical Puts are on one item, whichever attributes are the key", () => {
    const budget = new TransactionBudget(context, versionAction);
    expect(budget.check([put("Model", "a", { x: { S: "1" } }), put("Other", "a", { x: { S: "1" } }), put("Model", "a", { x: { S: "1" } })])).toEqual({
      fits: false,
      reason: "duplicate-item",
      index: 2,
    });
    budget.add([put("Model", "b", { x: { B: new Uint8Array([1]) } })]);
    expect(budget.check([put("Model", "b", { x: { B: Buffer.from([1]) } })])).toEqual({ fits: false, reason: "duplicate-item", index: 0 });
  });

  it("D9: a key schema learned from a Key makes a Put on that key a duplicate, before or after", () => {
    const budget = new TransactionBudget(context, versionAction);
    expect(budget.check([update("Model", "a"), put("Model", "a")])).toEqual({ fits: false, reason: "duplicate-item", index: 1 });
    expect(budget.check([put("Model", "a"), update("Model", "a")])).toEqual({ fits: false, reason: "duplicate-item", index: 1 });
  });

  it("D10: a schema learned in a later add makes two earlier Puts on one key a duplicate, at the action that taught it", () => {
    const budget = new TransactionBudget(context, versionAction);
    budget.add([put("Model", "a", { x: { S: "1" } }), put("Model", "a", { x: { S: "2" } })]);
    expect(budget.check([update("Model", "zzz")])).toEqual({ fits: false, reason: "duplicate-item", index: 0 });
    expect(budget.check([update("Elsewhere", "zzz")])).toEqual({ fits: true });
  });

  it("D10: a schema learned in an earlier add identifies Puts of later adds", () => {
    const budget = new TransactionBudget(context, versionAction);
    budget.add([remove("Model", "x")]);
    budget.add([put("Model", "a")]);
    expect(budget.check([put("Model", "a")])).toEqual({ fits: false, reason: "duplicate-item", index: 0 });
    expect(budget.check([put("Model", "b")])).toEqual({ fits: true });
  });

  it("D9: a declared schema wins over a learned one", () => {
    const budget = new TransactionBudget({ ...context, keySchemas: { Model: ["pk", "sk"] } }, versionAction);
    const withSort = (sk: string): TransactWriteItem => ({ Put: { TableName: "Model", Item: { pk: { S: "a" }, sk: { S: sk } } } });
    expect(budget.check([update("Model", "z"), withSort("1"), withSort("2")])).toEqual({ fits: true });
    expect(budget.check([withSort("1"), withSort("1")])).toEqual({ fits: false, reason: "duplicate-item", index: 1 });
  });
});

describe("D9/D14: the version table belongs to projectionkit", () => {
  it.each<[string, TransactWriteItem]>([
    ["Delete", { Delete: { TableName: "Versions", Key: { HandlerAndResource: { B: VERSION_KEY } } } }],
    ["ConditionCheck", { ConditionCheck: { TableName: "Versions", Key: { HandlerAndResource: { B: Buffer.from(VERSION_KEY) } }, ConditionExpression: "attribute_exists(Version)" } }],
    ["Put (its key is known)", { Put: { TableName: "Versions", Item: { HandlerAndResource: { B: VERSION_KEY.slice() }, Version: { B: new Uint8Array(1) } } } }],
  ])("D9: a %s on the version item is a VersionItemTouchedError", (_name, action) => {
    const budget = new TransactionBudget(context, versionAction);
    expect(budget.check([update("Model", "a"), action])).toEqual({ fits: false, reason: "version-item", index: 1 });
    const error = thrown(() => budget.add([update("Model", "a"), action]));
    expect(error).toBeInstanceOf(VersionItemTouchedError);
    expect(error).toMatchObject({ code: "ERR_VERSION_ITEM_TOUCHED", index: 1, table: "Versions", retryable: false });
    expect((error as Error).message).toMatch(/belongs to projectionkit/);
  });

  it("D9: version-item takes precedence over duplicate-item", () => {
    const onVersion: TransactWriteItem = { Delete: { TableName: "Versions", Key: { HandlerAndResource: { B: VERSION_KEY } } } };
    const budget = new TransactionBudget({ ...context, keySchemas: { Versions: ["HandlerAndResource"] } }, versionAction);
    // Also a second action on the version write's item, and twice in the list: still "version-item".
    expect(budget.check([onVersion, onVersion])).toEqual({ fits: false, reason: "version-item", index: 0 });
  });

  it("D14: any other item of the version table, by name or ARN, is refused too; the same key in another table is not", () => {
    const budget = new TransactionBudget(context, versionAction);
    const other = new Uint8Array([...VERSION_KEY, 0]);
    expect(budget.check([{ Delete: { TableName: "Model", Key: { HandlerAndResource: { B: VERSION_KEY } } } }])).toEqual({ fits: true });
    for (const action of [
      { Delete: { TableName: "Versions", Key: { HandlerAndResource: { B: other } } } },
      { Delete: { TableName: "Versions", Key: { HandlerAndResource: { S: "handler \u0001\u0002\u0003" } } } },
      { Put: { TableName: "Versions", Item: { pk: { S: "read model" } } } },
      { Update: { TableName: "arn:aws:dynamodb:eu-west-1:123456789012:table/Versions", Key: { pk: { S: "x" } }, UpdateExpression: "SET a = :a", ExpressionAttributeValues: { ":a": { S: "1" } } } },
    ] satisfies TransactWriteItem[]) {
      expect(budget.check([update("Model", "a"), action])).toEqual({ fits: false, reason: "version-item", index: 1 });
    }
    expect(budget.check([{ Delete: { TableName: "arn:aws:dynamodb:eu-west-1:123456789012:table/VersionsCopy", Key: { pk: { S: "x" } } } }])).toEqual({ fits: true });
  });
});

describe("D9: check and add", () => {
  it("D9: check does not change the budget, and a failed add adds nothing", () => {
    const budget = new TransactionBudget(context, versionAction);
    budget.add([update("Model", "a")]);
    const before = { actions: budget.actions, bytes: budget.bytes };
    budget.check(puts(5));
    expect({ actions: budget.actions, bytes: budget.bytes }).toEqual(before);
    expect(() => budget.add([put("Model", "b"), update("Model", "b")])).toThrow(DuplicateItemError);
    expect({ actions: budget.actions, bytes: budget.bytes }).toEqual(before);
    // Nothing of the failed add was remembered: "b" is still free.
    budget.add([update("Model", "b")]);
    expect(budget.actions).toBe(3);
    expect(budget.bytes).toBe(before.bytes + transactActionSize(update("Model", "b")));
  });

  it("D9: an action without exactly one of Put/Update/Delete/ConditionCheck is an InvalidArgumentError naming items[i], wherever it is", () => {
    const budget = new TransactionBudget(context, versionAction);
    const none = {} as TransactWriteItem;
    const two = { ...update("Model", "a"), ...remove("Model", "b") };
    expect(thrown(() => budget.check([put("Model", "a"), none]))).toMatchObject({ code: "ERR_INVALID_ARGUMENT", argument: "items[1]" });
    expect(thrown(() => budget.add([put("Model", "a"), two]))).toMatchObject({ code: "ERR_INVALID_ARGUMENT", argument: "items[1]" });
    // Even after the first action that does not fit.
    expect(thrown(() => budget.check([...puts(100), none]))).toMatchObject({ code: "ERR_INVALID_ARGUMENT", argument: "items[100]" });
    expect(budget.actions).toBe(1);
  });

  it("D9: a malformed context, version action or limit is an InvalidArgumentError", () => {
    expect(thrown(() => new TransactionBudget({ ...context, versionKey: undefined as unknown as Uint8Array }, versionAction))).toMatchObject({
      argument: "context.versionKey",
    });
    expect(thrown(() => new TransactionBudget(context, update("Model", "a")))).toMatchObject({ argument: "versionAction" });
    expect(thrown(() => new TransactionBudget(context, versionAction, { maxActions: 0 }))).toMatchObject({ argument: "limits.maxActions" });
    expect(thrown(() => new TransactionBudget(context, versionAction, { maxBytes: 1.5 }))).toMatchObject({ argument: "limits.maxBytes" });
  });

  it("D9: checkTransaction returns the budget holding the version write and the items", () => {
    const budget = checkTransaction(context, versionAction, [update("Model", "a"), put("Model", "b")]);
    expect(budget.actions).toBe(3);
  });

  it("D9: the typed errors are recognised by code across copies and are not retryable", () => {
    const errors = [new TooManyActionsError(101, 100, 99), new TransactionTooLargeError(5_000_000, MAX_TRANSACTION_BYTES, 3), new DuplicateItemError(2, "T"), new VersionItemTouchedError(0, "V")];
    expect(errors.map((error) => error.code)).toEqual(["ERR_TOO_MANY_ACTIONS", "ERR_TRANSACTION_TOO_LARGE", "ERR_DUPLICATE_ITEM", "ERR_VERSION_ITEM_TOUCHED"]);
    expect(errors.map((error) => error.name)).toEqual(["TooManyActionsError", "TransactionTooLargeError", "DuplicateItemError", "VersionItemTouchedError"]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(ProjectionKitError);
      expect(isProjectionKitError(error, error.code)).toBe(true);
      expect(isRetryableError(error)).toBe(false);
      expect((error.constructor as { code?: string }).code).toBe(error.code);
    }
    // A structurally identical error from another copy of the package is an instance too.
    const copy = Object.assign(Object.create(Error.prototype) as object, { code: "ERR_DUPLICATE_ITEM" });
    Object.defineProperty(copy, Symbol.for("@projectionkit/core/ProjectionKitError"), { value: true });
    expect(copy).toBeInstanceOf(DuplicateItemError);
    expect(copy).not.toBeInstanceOf(TooManyActionsError);
  });
});
