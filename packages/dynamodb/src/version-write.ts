import type {
  AttributeValue,
  DeleteItemCommandInput,
  GetItemCommandInput,
  PutItemCommandInput,
  TransactWriteItem,
  UpdateItemCommandInput,
} from "@aws-sdk/client-dynamodb";
import type { Version } from "@projectionkit/core";
import type { AttributeNames } from "./table-layout.js";

/**
 * Where a version write goes and what it changes: the version item of one resource, from `current`
 * to `next`, tagged with the call's token.
 *
 * @internal
 */
export interface VersionWrite {
  readonly table: string;
  readonly names: AttributeNames;
  readonly key: Uint8Array;
  readonly current: Version;
  readonly next: Version;
  readonly token: string;
}

/**
 * The condition "the stored version is `current`". An empty `current` matches an absent item, an
 * item without a version and an item whose version is empty (which the Go library can leave
 * behind, pitfall GP1 in docs/specification.md).
 */
function condition(write: VersionWrite): {
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, AttributeValue>;
} {
  if (write.current.length === 0) {
    return {
      ConditionExpression: "attribute_not_exists(#v) OR size(#v) = :zero",
      ExpressionAttributeNames: { "#v": write.names.version },
      ExpressionAttributeValues: { ":zero": { N: "0" } },
    };
  }
  return {
    ConditionExpression: "#v = :c",
    ExpressionAttributeNames: { "#v": write.names.version },
    ExpressionAttributeValues: { ":c": { B: write.current } },
  };
}

function keyOf(write: VersionWrite): Record<string, AttributeValue> {
  return { [write.names.key]: { B: write.key } };
}

/**
 * The version write as one action of a `TransactWriteItems` (D5): a conditional Put when creating,
 * an Update when advancing, a Delete when `next` is empty, a ConditionCheck when both are empty
 * (nothing to write, but the check must be part of the transaction). Every form asks for the stored
 * item on failure, so a conflict costs no extra read (H7).
 *
 * @internal
 */
export function versionTransactAction(write: VersionWrite): TransactWriteItem {
  const base = {
    TableName: write.table,
    ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
  };
  const check = condition(write);
  if (write.current.length === 0 && write.next.length === 0) {
    return { ConditionCheck: { ...base, Key: keyOf(write), ...check } };
  }
  if (write.next.length === 0) {
    return { Delete: { ...base, Key: keyOf(write), ...check } };
  }
  if (write.current.length === 0) {
    return {
      Put: {
        ...base,
        Item: { ...keyOf(write), [write.names.version]: { B: write.next }, [write.names.token]: { S: write.token } },
        ...check,
      },
    };
  }
  return {
    Update: {
      ...base,
      Key: keyOf(write),
      UpdateExpression: "SET #v = :n, #t = :t",
      ...check,
      ExpressionAttributeNames: { ...check.ExpressionAttributeNames, "#t": write.names.token },
      ExpressionAttributeValues: { ...check.ExpressionAttributeValues, ":n": { B: write.next }, ":t": { S: write.token } },
    },
  };
}

/**
 * The version write on its own, without a transaction (D6): the same condition and effect as
 * {@link versionTransactAction} in one single-item request, at half the write cost. When both
 * versions are empty there is nothing to write and the check is a strongly consistent read.
 *
 * @internal
 */
export type SingleVersionWrite =
  | { readonly operation: "PutItem"; readonly input: PutItemCommandInput }
  | { readonly operation: "UpdateItem"; readonly input: UpdateItemCommandInput }
  | { readonly operation: "DeleteItem"; readonly input: DeleteItemCommandInput }
  | { readonly operation: "GetItem"; readonly input: GetItemCommandInput };

/** @internal */
export function singleVersionWrite(write: VersionWrite): SingleVersionWrite {
  const action = versionTransactAction(write);
  if (action.Put !== undefined) {
    return { operation: "PutItem", input: action.Put };
  }
  if (action.Update !== undefined) {
    return { operation: "UpdateItem", input: action.Update };
  }
  if (action.Delete !== undefined) {
    return { operation: "DeleteItem", input: action.Delete };
  }
  return {
    operation: "GetItem",
    input: { TableName: write.table, Key: keyOf(write), ConsistentRead: true },
  };
}
