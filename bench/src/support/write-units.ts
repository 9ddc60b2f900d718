// DynamoDB's documented rule for the write units of a TransactWriteItems, for an emulator that does
// not report them: each action costs 2 WCU per started KB of the item it writes (a transactional
// write costs twice a standard one). The item's size is taken from the request: a Put's item, or an
// Update's, Delete's or ConditionCheck's key plus its expression values; for the small items of
// these benches that is always under 1 KB, so each action is 2 WCU.
import type { AttributeValue, TransactWriteItemsCommandInput } from "@aws-sdk/client-dynamodb";
import { attributeValueSize } from "@projectionkit/dynamodb";

function attributesSize(attributes: Record<string, AttributeValue> | undefined): number {
  let size = 0;
  for (const [name, value] of Object.entries(attributes ?? {})) size += Buffer.byteLength(name) + attributeValueSize(value);
  return size;
}

/**
 * The write units of one committed transaction by the documented rule.
 *
 * @example
 * ```ts
 * transactionWriteUnits({ TransactItems: [versionWrite, balanceUpdate] }); // 4
 * ```
 */
export function transactionWriteUnits(input: TransactWriteItemsCommandInput): number {
  let units = 0;
  for (const action of input.TransactItems ?? []) {
    const body = action.Put ?? action.Update ?? action.Delete ?? action.ConditionCheck;
    const size = action.Put !== undefined ? attributesSize(action.Put.Item) : attributesSize(body && "Key" in body ? body.Key : undefined) + attributesSize(body?.ExpressionAttributeValues);
    units += 2 * Math.max(1, Math.ceil(size / 1024));
  }
  return units;
}
