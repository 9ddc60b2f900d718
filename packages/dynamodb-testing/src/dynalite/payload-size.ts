import { dynaliteDb, type AttributeValue, type Item } from "./dynalite-internals.js";
import type { WriteAction } from "./transact-request.js";
import { validationException } from "./wire-errors.js";

/**
 * DynamoDB's limit on the size of one transaction: 4 MB.
 *
 * @internal
 */
export const MAX_TRANSACTION_PAYLOAD_BYTES = 4 * 1024 * 1024;

const NAME_PLACEHOLDER = /#[0-9A-Za-z_]+/g;
const VALUE_PLACEHOLDER = /:[0-9A-Za-z_]+/g;

/**
 * The size an action adds to a transaction's payload, as DynamoDB Local 1.25.1 counts it
 * (measured against it): the item (Put) or key (others) by DynamoDB's item-size rules, plus the
 * length of each expression, plus, for every placeholder in an expression, the attribute name or
 * value it stands for (a value used twice counts twice). Sizes use dynalite's `db.itemSize`.
 *
 * @internal
 * @param action - a validated action.
 * @returns its size in bytes.
 */
export function actionPayloadSize(action: WriteAction): number {
  const { data } = action;
  const names = (data["ExpressionAttributeNames"] ?? {}) as Readonly<Record<string, string>>;
  const values = (data["ExpressionAttributeValues"] ?? {}) as Readonly<Record<string, AttributeValue>>;
  let size = dynaliteDb.itemSize(action.keyAttributes);
  for (const field of ["UpdateExpression", "ConditionExpression"]) {
    const expression = data[field];
    if (typeof expression !== "string") {
      continue;
    }
    size += expression.length;
    for (const [placeholder] of expression.matchAll(NAME_PLACEHOLDER)) {
      size += names[placeholder]?.length ?? 0;
    }
    for (const [placeholder] of expression.matchAll(VALUE_PLACEHOLDER)) {
      const value = values[placeholder];
      size += value === undefined ? 0 : dynaliteDb.itemSize({ "": value } as Item);
    }
  }
  return size;
}

/**
 * Rejects a transaction above 4 MB as DynamoDB Local does: it adds the actions' sizes in order
 * and stops at the first one that goes over, reporting the sum so far.
 *
 * @internal
 * @param actions - the validated actions.
 * @throws {@link WireError} `ValidationException` "Transaction payload size cannot exceed 4MB. Payload Size: N".
 */
export function checkTransactionPayloadSize(actions: readonly WriteAction[]): void {
  let total = 0;
  for (const action of actions) {
    total += actionPayloadSize(action);
    if (total > MAX_TRANSACTION_PAYLOAD_BYTES) {
      throw validationException(`Transaction payload size cannot exceed 4MB. Payload Size: ${total}`);
    }
  }
}
