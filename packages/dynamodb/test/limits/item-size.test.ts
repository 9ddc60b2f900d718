import type { AttributeValue, TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { isProjectionKitError } from "@projectionkit/core";
import { attributeValueSize, itemSize, transactActionSize } from "../../src/item-size.js";

// Expected values follow "DynamoDB item sizes and formats" (DynamoDB Developer Guide,
// CapacityUnitCalculations.html), computed by hand from its rules.

describe("D9: attribute value sizes (AWS item-size rules)", () => {
  it.each<[string, AttributeValue, number]>([
    ["S: ASCII bytes", { S: "Jane" }, 4],
    ["S: UTF-8 bytes, not UTF-16 units", { S: "héllo" }, 6],
    ["S: 4-byte UTF-8 (emoji)", { S: "😀" }, 4],
    ["S: empty", { S: "" }, 0],
    ["B: raw bytes, not base64 text", { B: new Uint8Array(10) }, 10],
    ["B: a view into a larger buffer counts only its bytes", { B: new Uint8Array(100).subarray(10, 13) }, 3],
    ["BOOL", { BOOL: false }, 1],
    ["NULL", { NULL: true }, 1],
    ["L: empty is 3 bytes", { L: [] }, 3],
    ["M: empty is 3 bytes", { M: {} }, 3],
    ["L: 3 + per element (1 + size)", { L: [{ S: "ab" }, { BOOL: true }] }, 3 + (1 + 2) + (1 + 1)],
    ["M: 3 + per element (1 + name + size)", { M: { a: { S: "bc" } } }, 3 + (1 + 1 + 2)],
    ["M in L in M", { M: { inner: { L: [{ N: "5" }] } } }, 3 + (1 + 5 + (3 + (1 + 2)))],
    ["SS: sum of the elements", { SS: ["a", "bc"] }, 3],
    ["NS: sum of the number sizes", { NS: ["1", "22", "333"] }, 2 + 2 + 3],
    ["BS: sum of the byte lengths", { BS: [new Uint8Array(2), new Uint8Array(5)] }, 7],
  ])("D9: %s", (_name, value, size) => {
    expect(attributeValueSize(value)).toBe(size);
  });

  it.each<[string, number]>([
    ["0", 1],
    ["-0.000", 1],
    ["7", 2],
    ["12", 2],
    ["123", 3], // 01 23
    ["1234", 3], // 12 34
    ["100", 2], // trailing zeros trimmed: 01 (00)
    ["1000000000", 2], // 10 (00 00 00 00)
    ["0.001", 2], // leading zeros trimmed: (00) 10
    ["0.05", 2], // 05
    ["0.5", 2], // 50
    ["1001", 3], // inner zeros are significant: 10 01
    ["1.01", 3], // 01 . 01
    ["1.5E3", 2], // 1500: 15 (00)
    ["12345678901234567890123456789012345678", 20], // 38 digits, 19 pairs
    // Beyond the guide's approximation (ceil(digits / 2) + 1), as measured on DynamoDB Local 1.25.1:
    ["1.5", 3], // the pairs are aligned on the point: 01 . 50
    ["250", 3], // 02 50
    ["-1", 3], // a negative number takes one more byte
    ["-123", 4],
    ["-0012.3400", 4], // 12 . 34, negative
  ])("D9: N %s is %i bytes", (text, size) => {
    expect(attributeValueSize({ N: text })).toBe(size);
  });

  it("D9: a value without exactly one type, or with a malformed type, is an InvalidArgumentError naming where", () => {
    const invalid = (value: unknown, argument: string) => {
      let thrown: unknown;
      try {
        attributeValueSize(value as AttributeValue);
      } catch (error) {
        thrown = error;
      }
      expect(isProjectionKitError(thrown, "ERR_INVALID_ARGUMENT") && thrown.argument).toBe(argument);
    };
    invalid({}, "value");
    invalid({ S: "a", N: "1" }, "value");
    invalid(null, "value");
    invalid({ S: 5 }, "value.S");
    invalid({ L: [{ S: "a" }, {}] }, "value.L[1]");
    invalid({ M: { x: { B: 7 } } }, "value.M.x.B");
  });
});

describe("D9: item sizes", () => {
  it("D9: an item is the sum of attribute name bytes plus value sizes", () => {
    expect(itemSize({ pk: { S: "account#1" }, balance: { N: "250" } })).toBe(2 + 9 + (7 + 3)); // 250: base-100 digits 02 50, plus 1
    expect(itemSize({ "näme": { S: "x" } })).toBe(5 + 1);
    expect(itemSize({})).toBe(0);
  });

  it("D9: attributes left undefined are not sent, so they count nothing", () => {
    expect(itemSize({ a: { S: "x" }, b: undefined as unknown as AttributeValue })).toBe(2);
  });

  it("D9: a malformed attribute names the attribute", () => {
    expect(() => itemSize({ a: { S: "x" }, b: {} as AttributeValue }, "items[2].Put.Item")).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument: "items[2].Put.Item.b" }),
    );
  });
});

describe("D9: action sizes for the 4 MB limit (as DynamoDB Local 1.25.1 counts them)", () => {
  it("D9: a Put without a condition counts its item's size and nothing else", () => {
    const item = { pk: { S: "a" }, blob: { B: new Uint8Array(1000) } };
    expect(transactActionSize({ Put: { TableName: "Table", Item: item, ReturnValuesOnConditionCheckFailure: "ALL_OLD" } })).toBe(itemSize(item));
  });

  // The "Local:" values are what DynamoDB Local 1.25.1 reported as the action's share of the
  // transaction payload size.
  it("D9: a Put's condition counts: expression bytes plus the names and values it refers to", () => {
    const put: TransactWriteItem = {
      Put: {
        TableName: "T",
        Item: { pk: { S: "u12" } }, // 5
        ConditionExpression: "attribute_not_exists(#p) OR a <> :v", // 35
        ExpressionAttributeNames: { "#p": "pk" }, // 2
        ExpressionAttributeValues: { ":v": { S: "v".repeat(100_000) } }, // 100000
      },
    };
    expect(transactActionSize(put)).toBe(5 + 35 + 2 + 100_000); // Local: 100042
    expect(transactActionSize({ Put: { TableName: "T", Item: { pk: { S: "u12" } }, ConditionExpression: "attribute_not_exists(pk)" } })).toBe(29); // Local: 29
  });

  it("D9: names and values count once per reference in the expressions", () => {
    const update = (UpdateExpression: string, ConditionExpression?: string): TransactWriteItem => ({
      Update: {
        TableName: "T",
        Key: { pk: { S: "u12" } }, // 5
        UpdateExpression,
        ...(ConditionExpression === undefined ? {} : { ConditionExpression }),
        ExpressionAttributeNames: { "#n": "abcdefghij", ...(UpdateExpression.includes("#n2") ? { "#n2": "k" } : {}) },
        ExpressionAttributeValues: { ":x": { S: "x" } },
      },
    });
    expect(transactActionSize(update("SET #n = :x, #n2 = :x"))).toBe(5 + 21 + 10 + 1 + 2 * 1); // Local: 39
    expect(transactActionSize(update("SET #n = :x", "#n <> :x AND #n <> :x"))).toBe(5 + 11 + 21 + 3 * 10 + 3 * 1); // Local: 70
    const twice: TransactWriteItem = {
      Update: { TableName: "T", Key: { pk: { S: "u12" } }, UpdateExpression: "SET a = :v, b = :v", ExpressionAttributeValues: { ":v": { S: "v".repeat(100_000) } } },
    };
    expect(transactActionSize(twice)).toBe(5 + 18 + 200_000); // Local: 200023
  });

  it("D9: a placeholder is matched as a whole token (:v is not :v2), and an unused one counts once", () => {
    const update: TransactWriteItem = {
      Update: {
        TableName: "T",
        Key: { pk: { S: "a" } }, // 3
        UpdateExpression: "SET a = :v2, b = :v2", // 20
        ExpressionAttributeValues: { ":v": { S: "1234567" }, ":v2": { S: "x" } }, // :v unused: 7; :v2 twice: 2
      },
    };
    expect(transactActionSize(update)).toBe(3 + 20 + 7 + 2);
  });

  it("D9: Delete and ConditionCheck count Key, the condition and what it refers to", () => {
    const body = {
      TableName: "T",
      Key: { pk: { S: "a" }, sk: { N: "10" } }, // 3 + 4
      ConditionExpression: "#v = :v", // 7
      ExpressionAttributeNames: { "#v": "v" }, // 1
      ExpressionAttributeValues: { ":v": { B: new Uint8Array(8) } }, // 8
    };
    expect(transactActionSize({ Delete: body })).toBe(7 + 7 + 1 + 8);
    expect(transactActionSize({ ConditionCheck: { ...body } })).toBe(7 + 7 + 1 + 8);
    expect(transactActionSize({ Delete: { TableName: "T", Key: { pk: { S: "u12" } } } })).toBe(5); // Local: 5
    expect(
      transactActionSize({
        Update: { TableName: "T", Key: { pk: { S: "u12" } }, UpdateExpression: "SET a = :v", ExpressionAttributeValues: { ":v": { L: Array.from({ length: 100 }, () => ({ N: "1" })) } } },
      }),
    ).toBe(5 + 10 + 3 + 100 * (1 + 2)); // Local: 318
  });

  it.each<[string, unknown]>([
    ["no action", {}],
    ["two actions", { Put: { TableName: "T", Item: {} }, Delete: { TableName: "T", Key: {} } }],
  ])("D9: %s is an InvalidArgumentError naming the action", (_name, action) => {
    expect(() => transactActionSize(action as TransactWriteItem, "items[3]")).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument: "items[3]" }),
    );
  });

  it("D9: a Put without Item, an Update without Key or a malformed expression value is an InvalidArgumentError", () => {
    expect(() => transactActionSize({ Put: { TableName: "T" } } as unknown as TransactWriteItem)).toThrow(
      expect.objectContaining({ argument: "action.Put.Item" }),
    );
    expect(() => transactActionSize({ Update: { TableName: "T", UpdateExpression: "SET a = :a" } } as unknown as TransactWriteItem)).toThrow(
      expect.objectContaining({ argument: "action.Update.Key" }),
    );
    expect(() =>
      transactActionSize({ Delete: { TableName: "T", Key: { pk: { S: "a" } }, ConditionExpression: "a = :a", ExpressionAttributeValues: { ":a": {} as AttributeValue } } }),
    ).toThrow(expect.objectContaining({ argument: "action.Delete.ExpressionAttributeValues.:a" }));
  });

  it.each([
    ["ExpressionAttributeNames", "attribute names"],
    ["ExpressionAttributeValues", "AttributeValues"],
  ])("D9: an %s that is not an object from placeholders is an InvalidArgumentError naming it; a malformed entry names the entry", (field, entries) => {
    const action = (map: unknown) => ({ Update: { TableName: "T", Key: { pk: { S: "a" } }, UpdateExpression: "SET #a = :a", [field]: map } }) as unknown as TransactWriteItem;
    for (const map of [[], "x"]) {
      expect(() => transactActionSize(action(map))).toThrow(
        expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument: `action.Update.${field}`, message: expect.stringContaining(`expected an object from placeholders to ${entries}`) }),
      );
    }
    expect(() => transactActionSize(action({ [field === "ExpressionAttributeNames" ? "#a" : ":a"]: 7 }))).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument: `action.Update.${field}.${field === "ExpressionAttributeNames" ? "#a" : ":a"}` }),
    );
  });
});
