import type { TableDescription } from "@aws-sdk/client-dynamodb";
import { isProjectionKitError } from "@projectionkit/core";
import { describe, expect, it } from "vitest";
import { checkVersionTableKeySchema, describeKeySchema, versionItemKey, versionKeyPrefix } from "@projectionkit/dynamodb";

const HANDLER_KEY = "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11";

function table(keys: Array<[string, "HASH" | "RANGE", string]>): TableDescription {
  return {
    AttributeDefinitions: keys.map(([name, , type]) => ({ AttributeName: name, AttributeType: type as "B" })),
    KeySchema: keys.map(([name, kind]) => ({ AttributeName: name, KeyType: kind })),
  };
}

describe("D1 the key prefix of a handler", () => {
  it("D1: is the UTF-8 handler key and one space, and every version item key of the handler starts with it", () => {
    const prefix = versionKeyPrefix(HANDLER_KEY);
    expect([...prefix]).toEqual([...new TextEncoder().encode(HANDLER_KEY), 0x20]);
    const key = versionItemKey(HANDLER_KEY, new Uint8Array([7, 8]));
    expect([...key]).toEqual([...prefix, 7, 8]);
    expect([...versionKeyPrefix(`${HANDLER_KEY}0`).subarray(0, prefix.length)]).not.toEqual([...prefix]);
  });
});

describe("D2 checkVersionTableKeySchema", () => {
  it("D2: accepts HASH <key> (B) alone, with the default or a given key name", () => {
    expect(() => checkVersionTableKeySchema("t", table([["HandlerAndResource", "HASH", "B"]]))).not.toThrow();
    expect(() => checkVersionTableKeySchema("t", table([["pk", "HASH", "B"]]), "pk")).not.toThrow();
  });

  it.each([
    ["a string key", table([["HandlerAndResource", "HASH", "S"]]), "HASH HandlerAndResource (S)"],
    ["another name", table([["pk", "HASH", "B"]]), "HASH pk (B)"],
    ["a RANGE key too", table([["HandlerAndResource", "HASH", "B"], ["sk", "RANGE", "S"]]), "HASH HandlerAndResource (B), RANGE sk (S)"],
    ["no key schema", {}, "(none)"],
  ])("D2: refuses %s with ERR_TABLE_SCHEMA_MISMATCH naming both schemas", (_label, description, actual) => {
    expect(describeKeySchema(description)).toBe(actual);
    let error: unknown;
    try {
      checkVersionTableKeySchema("Versions", description);
    } catch (thrown) {
      error = thrown;
    }
    expect(isProjectionKitError(error, "ERR_TABLE_SCHEMA_MISMATCH") && [error.table, error.expected, error.actual]).toEqual([
      "Versions",
      "HASH HandlerAndResource (B)",
      actual,
    ]);
  });
});
