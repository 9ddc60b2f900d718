import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { actionItemIdentity } from "../../src/transaction-limits.js";

const update = (table: string, key: Record<string, unknown>): TransactWriteItem =>
  ({ Update: { TableName: table, Key: key, UpdateExpression: "SET x = :x", ExpressionAttributeValues: { ":x": { S: "1" } } } }) as TransactWriteItem;

describe("D9: item identities", () => {
  it("D9: the key attribute order does not matter", () => {
    expect(actionItemIdentity(update("T", { pk: { S: "a" }, sk: { S: "b" } }))).toBe(
      actionItemIdentity({ Delete: { TableName: "T", Key: { sk: { S: "b" }, pk: { S: "a" } } } }),
    );
  });

  it("D9: Update, Delete and ConditionCheck on one key have one identity", () => {
    const key = { pk: { S: "a" } };
    const identities = new Set([
      actionItemIdentity(update("T", key)),
      actionItemIdentity({ Delete: { TableName: "T", Key: key } }),
      actionItemIdentity({ ConditionCheck: { TableName: "T", Key: key, ConditionExpression: "attribute_exists(pk)" } }),
    ]);
    expect(identities.size).toBe(1);
    expect([...identities][0]).toBeTypeOf("string");
  });

  it("D9: different tables, attribute names, types or values are different items", () => {
    const base = actionItemIdentity(update("T", { pk: { S: "1" } }));
    expect(actionItemIdentity(update("U", { pk: { S: "1" } }))).not.toBe(base);
    expect(actionItemIdentity(update("T", { id: { S: "1" } }))).not.toBe(base);
    expect(actionItemIdentity(update("T", { pk: { N: "1" } }))).not.toBe(base);
    expect(actionItemIdentity(update("T", { pk: { S: "2" } }))).not.toBe(base);
    expect(actionItemIdentity(update("T", { pk: { S: "1" }, sk: { S: "1" } }))).not.toBe(base);
  });

  it("D9: separators inside names and values cannot make two keys collide", () => {
    expect(actionItemIdentity(update("T", { a: { S: 'x","b' } }))).not.toBe(actionItemIdentity(update("T", { a: { S: "x" }, b: { S: "" } })));
    expect(actionItemIdentity(update('T","a', { b: { S: "c" } }))).not.toBe(actionItemIdentity(update("T", { a: { S: "b" }, c: { S: "" } })));
  });

  it.each(["|", ",", ":", ";", "/", "#", " ", "\n", "\u0000", "\\", '","', "\u001f"])(
    "D9: a key whose value contains %j cannot be mistaken for a key with more attributes",
    (d) => {
      for (const tag of ["S:", "S", ""]) {
        const longer = actionItemIdentity(update("T", { a: { S: "x" }, b: { S: "y" } }));
        expect(actionItemIdentity(update("T", { a: { S: `x${d}b${d}${tag}y` } }))).not.toBe(longer);
        expect(actionItemIdentity(update(`T${d}a${d}${tag}x`, { b: { S: "y" } }))).not.toBe(longer);
        expect(actionItemIdentity(update("T", { [`a${d}${tag}x${d}b`]: { S: "y" } }))).not.toBe(longer);
      }
    },
  );

  it("D9: numbers are compared by value: 1, 1.0, 10E-1 and 0001 are one key; -0 and 0 too", () => {
    const one = actionItemIdentity(update("T", { n: { N: "1" } }));
    for (const text of ["1.0", "10E-1", "0001", "+1", "0.1e1"]) {
      expect(actionItemIdentity(update("T", { n: { N: text } }))).toBe(one);
    }
    expect(actionItemIdentity(update("T", { n: { N: "-0" } }))).toBe(actionItemIdentity(update("T", { n: { N: "0.00" } })));
    expect(actionItemIdentity(update("T", { n: { N: "-1" } }))).not.toBe(one);
    expect(actionItemIdentity(update("T", { n: { N: "10" } }))).not.toBe(one);
    expect(actionItemIdentity(update("T", { n: { N: "0.1" } }))).not.toBe(one);
  });

  it("D9: binary keys are compared by bytes, whatever the view", () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const inside = new Uint8Array([9, 0, 1, 2, 255, 9]).subarray(1, 5);
    expect(actionItemIdentity(update("T", { k: { B: inside } }))).toBe(actionItemIdentity(update("T", { k: { B: bytes } })));
    expect(actionItemIdentity(update("T", { k: { B: Buffer.from(bytes) } }))).toBe(actionItemIdentity(update("T", { k: { B: bytes } })));
    expect(actionItemIdentity(update("T", { k: { B: new Uint8Array([0, 1, 2]) } }))).not.toBe(actionItemIdentity(update("T", { k: { B: bytes } })));
  });

  it("D9: a Put's identity is unknown without a key schema, and uses the declared one when given", () => {
    const put: TransactWriteItem = { Put: { TableName: "T", Item: { sk: { N: "1" }, pk: { S: "a" }, other: { S: "x" } } } };
    expect(actionItemIdentity(put)).toBeUndefined();
    expect(actionItemIdentity(put, { U: ["pk"] })).toBeUndefined();
    expect(actionItemIdentity(put, { T: ["sk", "pk"] })).toBe(actionItemIdentity(update("T", { pk: { S: "a" }, sk: { N: "1.0" } })));
    expect(actionItemIdentity(put, { T: ["pk"] })).toBe(actionItemIdentity(update("T", { pk: { S: "a" } })));
  });

  it("D9: a Put that lacks a declared key attribute has no identity", () => {
    expect(actionItemIdentity({ Put: { TableName: "T", Item: { pk: { S: "a" } } } }, { T: ["pk", "sk"] })).toBeUndefined();
  });

  it("D9: a malformed action is an InvalidArgumentError", () => {
    expect(() => actionItemIdentity({} as TransactWriteItem)).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument: "action" }));
  });
});
