import type { ConditionCheck, Delete, Put, TransactWriteItem, Update } from "@aws-sdk/client-dynamodb";
import { InvalidArgumentError } from "@projectionkit/core";
import { marshall, type marshallOptions, type NativeAttributeValue } from "@aws-sdk/util-dynamodb";
import { requireOneActionKind } from "./transact-items.js";

/**
 * Attributes written with plain JavaScript values, as `@aws-sdk/util-dynamodb` marshalls them: the
 * `Item`, `Key` or `ExpressionAttributeValues` of a {@link DocumentTransactWriteItem}.
 *
 * @example
 * ```ts
 * const key: DocumentAttributes = { account: "acc-1" };
 * ```
 */
export type DocumentAttributes = Record<string, NativeAttributeValue>;

/**
 * A transaction action written with plain JavaScript values (DocumentClient style) instead of
 * attribute values: `Item`, `Key` and `ExpressionAttributeValues` hold numbers, strings,
 * `Uint8Array`s, arrays, objects, `Set`s …
 *
 * @example
 * ```ts
 * const action: DocumentTransactWriteItem = {
 *   Update: {
 *     TableName: "Balances",
 *     Key: { account: "acc-1" },
 *     UpdateExpression: "ADD balance :amount",
 *     ExpressionAttributeValues: { ":amount": 42 },
 *   },
 * };
 * ```
 */
export interface DocumentTransactWriteItem {
  readonly Put?: (Omit<Put, "Item" | "ExpressionAttributeValues"> & { Item: DocumentAttributes; ExpressionAttributeValues?: DocumentAttributes }) | undefined;
  readonly Update?: (Omit<Update, "Key" | "ExpressionAttributeValues"> & { Key: DocumentAttributes; ExpressionAttributeValues?: DocumentAttributes }) | undefined;
  readonly Delete?: (Omit<Delete, "Key" | "ExpressionAttributeValues"> & { Key: DocumentAttributes; ExpressionAttributeValues?: DocumentAttributes }) | undefined;
  readonly ConditionCheck?:
    | (Omit<ConditionCheck, "Key" | "ExpressionAttributeValues"> & { Key: DocumentAttributes; ExpressionAttributeValues?: DocumentAttributes })
    | undefined;
}

const DEFAULT_MARSHALL: marshallOptions = { removeUndefinedValues: true };

/**
 * Turns an action written with plain JavaScript values into the attribute-value form that
 * `TransactWriteItems` takes, with `marshall` from `@aws-sdk/util-dynamodb` (D4).
 *
 * @param item - the action with plain values.
 * @param options - marshalling options. Default `{ removeUndefinedValues: true }`.
 * @returns the same action in attribute-value form.
 * @throws `InvalidArgumentError` when the action does not have exactly one kind, or a value
 *   cannot be marshalled (the marshaller's error is the cause).
 *
 * @example
 * ```ts
 * handleEvent(scope, event) {
 *   return [
 *     documentItem({
 *       Update: {
 *         TableName: "Balances",
 *         Key: { account: event.account },
 *         UpdateExpression: "ADD balance :amount",
 *         ExpressionAttributeValues: { ":amount": event.amount },
 *       },
 *     }),
 *   ];
 * }
 * ```
 */
export function documentItem(item: DocumentTransactWriteItem, options: marshallOptions = DEFAULT_MARSHALL): TransactWriteItem {
  const kind = requireOneActionKind(item, "item");
  const action = item[kind] as Record<string, unknown>;
  try {
    const converted: Record<string, unknown> = { ...action };
    for (const field of ["Item", "Key", "ExpressionAttributeValues"]) {
      if (action[field] !== undefined) {
        converted[field] = marshall(action[field] as DocumentAttributes, options);
      }
    }
    return { [kind]: converted } as TransactWriteItem;
  } catch (error) {
    throw new InvalidArgumentError(`item.${kind}`, `cannot marshall its values: ${(error as Error).message}`, { cause: error });
  }
}
