import { deleteItemValidation, dynaliteDb, putItemValidation, updateItemValidation } from "./dynalite-internals.js";

/** The request field dynalite 4.0.0 does not know (DynamoDB added it in 2023). */
const FIELD = "ReturnValuesOnConditionCheckFailure";

let installed = false;

/**
 * Teaches dynalite's own `PutItem`, `UpdateItem` and `DeleteItem` the request field
 * `ReturnValuesOnConditionCheckFailure`: validated as DynamoDB does (`ALL_OLD` or `NONE`), and with
 * `ALL_OLD` a `ConditionalCheckFailedException` carries the stored item (`Item`), as DynamoDB
 * Local 1.25.1 answers. Without it, dynalite drops the field and the caller cannot tell "no item"
 * from "not returned".
 *
 * The item is the one dynalite checked the condition against, read under its item lock, so it is
 * the state the write failed on. Patches dynalite's modules once per process (after
 * `loadDynalite()`); the behaviour only changes for requests that carry the field, and the
 * transaction code strips the field from its actions before it checks their conditions.
 *
 * @internal
 */
export function installSingleWriteReturnValues(): void {
  if (installed) {
    return;
  }
  installed = true;
  for (const validation of [putItemValidation, updateItemValidation, deleteItemValidation]) {
    (validation.types as Record<string, object>)[FIELD] = { type: "String", enum: ["ALL_OLD", "NONE"] };
  }
  const db = dynaliteDb as { checkConditional: typeof dynaliteDb.checkConditional };
  const checkConditional = db.checkConditional;
  db.checkConditional = (data, existingItem) => {
    const failure = checkConditional(data, existingItem);
    if (failure === null || failure === undefined || existingItem === undefined || (data as Record<string, unknown>)[FIELD] !== "ALL_OLD") {
      return failure;
    }
    if (failure.body !== undefined && failure.body.__type.endsWith("#ConditionalCheckFailedException")) {
      failure.body = { ...failure.body, Item: existingItem };
    }
    return failure;
  };
}
