// The limit checks take shortcuts for what every event sends (plain integers, scalar values, the
// same expressions again, the version action on the version item): each shortcut must give what
// the general path gives.
import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { attributeValueSize, transactActionSize } from "../../src/item-size.js";
import { TransactionBudget } from "../../src/transaction-limits.js";
import { context, VERSION_KEY } from "./fixtures.js";

describe("size shortcuts", () => {
  it("a plain integer has the size the general number parse gives (the same text with a '+' or spaces)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 38n), max: 10n ** 38n }), (n) => {
        const text = n.toString();
        const general = n < 0n ? ` ${text} ` : `+${text}`;
        expect(attributeValueSize({ N: text })).toBe(attributeValueSize({ N: general }));
      }),
    );
  });

  it("an action's size is the same the second time its expressions are seen, and differs with them", () => {
    const action = (update: string, condition?: string) => ({
      Update: {
        TableName: "T",
        Key: { pk: { S: "a" } },
        UpdateExpression: update,
        ...(condition === undefined ? {} : { ConditionExpression: condition }),
        ExpressionAttributeValues: { ":a": { N: "1" }, ":b": { S: "xy" } },
      },
    });
    const first = transactActionSize(action("ADD n :a", "x = :b"));
    expect(transactActionSize(action("ADD n :a", "x = :b"))).toBe(first);
    // ":b" referred to twice now counts twice (2 bytes more), the expression 6 bytes more.
    expect(transactActionSize(action("ADD n :a", "x = :b OR y = :b"))).toBe(first + 10 + 2);
    // The same characters split differently between the two expressions are another pair: here
    // ":b" and ":b" become ":bx" and ":b", so ":b" counts once instead of twice.
    const twice = transactActionSize(action("ADD n :b", "x = :b"));
    expect(transactActionSize(action("ADD n :bx = :b"))).toBe(twice - 2);
  });
});

describe("version action shortcut", () => {
  // A string as binary is what a JavaScript caller may pass; the SDK sends its UTF-8 bytes.
  const onVersionItem = (B: Uint8Array | string): TransactWriteItem => ({
    Update: {
      TableName: context.versionTable,
      Key: { [context.versionKeyAttribute]: { B: B as Uint8Array } },
      UpdateExpression: "SET v = :v",
      ExpressionAttributeValues: { ":v": { N: "1" } },
    },
  });

  it("accepts the version item's key given as bytes, or as the same text", () => {
    expect(() => new TransactionBudget(context, onVersionItem(VERSION_KEY))).not.toThrow();
    expect(() => new TransactionBudget(context, onVersionItem(Buffer.from(VERSION_KEY)))).not.toThrow();
    expect(() => new TransactionBudget(context, onVersionItem(new TextDecoder().decode(VERSION_KEY)))).not.toThrow();
  });

  it("rejects another key, a longer one, or a key with a second attribute", () => {
    expect(() => new TransactionBudget(context, onVersionItem(VERSION_KEY.slice(1)))).toThrow(/version item/);
    expect(() => new TransactionBudget(context, onVersionItem(new Uint8Array([...VERSION_KEY, 0])))).toThrow(/version item/);
    const twoAttributes = onVersionItem(VERSION_KEY);
    (twoAttributes.Update?.Key as Record<string, unknown>)["sk"] = { S: "x" };
    expect(() => new TransactionBudget(context, twoAttributes)).toThrow(/version item/);
  });
});
