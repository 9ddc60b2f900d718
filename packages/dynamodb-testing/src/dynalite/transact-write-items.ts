import { CapacityTally, consumedCapacity, type ConsumedCapacityEntry } from "./consumed-capacity.js";
import {
  callDynalite,
  deleteItemAction,
  dynaliteDb,
  isServiceError,
  putItemAction,
  updateItemAction,
  type Item,
  type Store,
  type Table,
} from "./dynalite-internals.js";
import type { IdempotencyTokens } from "./idempotency.js";
import { lockItems } from "./item-locks.js";
import { checkTransactionPayloadSize } from "./payload-size.js";
import { commitStaged, createStagingStore, readItems, type StagingStore } from "./staging-store.js";
import { checkKey, itemId, loadTables, type KeyCheck } from "./transact-keys.js";
import { parseTransactWriteItems, type TransactWriteRequest, type WriteAction } from "./transact-request.js";
import {
  fromDynaliteError,
  resourceNotFound,
  transactionCanceled,
  validationException,
  WireError,
  type CancellationReason,
} from "./wire-errors.js";

/**
 * What a replay of a `ClientRequestToken` needs: how many items the transaction touched per table
 * (a replay reports read capacity for them, as DynamoDB Local does).
 *
 * @internal
 */
export type WriteReplay = readonly (readonly [string, number])[];

/**
 * The JSON answer of a successful `TransactWriteItems`.
 *
 * @internal
 */
export interface TransactWriteAnswer {
  readonly ConsumedCapacity?: readonly ConsumedCapacityEntry[];
}

const CONDITION_FAILED = "The conditional request failed";

/**
 * Answers a `TransactWriteItems` request on dynalite's store, all or nothing, the way DynamoDB
 * Local 1.25.1 does.
 *
 * Before any item is looked at: request validation, the `ClientRequestToken` (replay or
 * mismatch), the 4 MB payload limit. Then it takes dynalite's item locks on every item the
 * transaction names, reads them, and goes through the actions in order, as DynamoDB Local does:
 * a missing table answers `ResourceNotFoundException`; a key that does not fit the schema answers
 * a `ValidationException` (or, for a key of the wrong type or size, becomes a `ValidationError`
 * reason); the action's condition is evaluated (a failure becomes its `ConditionalCheckFailed`
 * reason, with the item as the transaction left it for `ALL_OLD`); its new item is computed (an
 * update that cannot be applied answers its `ValidationException`); and a second action on an
 * item answers "multiple operations on one item". Each action sees the writes of the actions
 * before it. Put/Update/Delete run as dynalite's own actions (condition check, update
 * expression, item size, index maintenance) against a staging view that collects their writes.
 * Any failed condition cancels the transaction with one reason per action; otherwise all writes
 * are committed in one LevelDB batch, and only then are the locks released.
 *
 * @internal
 * @param store - dynalite's store.
 * @param tokens - the server's idempotency tokens.
 * @param body - the parsed JSON body.
 * @returns the answer.
 * @throws {@link WireError} for every error DynamoDB answers.
 */
export async function transactWriteItems(
  store: Store,
  tokens: IdempotencyTokens<WriteReplay>,
  body: unknown,
): Promise<TransactWriteAnswer> {
  const request = parseTransactWriteItems(body, store);
  const token = request.clientRequestToken;
  if (token === undefined) {
    return (await execute(store, request)).answer;
  }
  return tokens.run(
    token,
    request.fingerprint,
    () => execute(store, request),
    (saved) => replayAnswer(request, saved),
  );
}

async function execute(
  store: Store,
  request: TransactWriteRequest,
): Promise<{ readonly answer: TransactWriteAnswer; readonly saved: WriteReplay }> {
  const { actions } = request;
  checkTransactionPayloadSize(actions);
  const tables = await loadTables(
    store,
    actions.map((action) => action.tableName),
  );
  const checks = actions.map((action): KeyCheck | undefined => {
    const table = tables.get(action.tableName);
    return table === undefined ? undefined : checkKey(action.keyAttributes, table, action.kind === "Put");
  });
  const items = distinctItems(actions, checks);
  const release = await lockItems(store, items);
  try {
    const reads = await readItems(store, items);
    const staging = createStagingStore(store, reads);
    const reasons: CancellationReason[] = [];
    const returnOld: { readonly index: number; readonly id: string }[] = [];
    const capacity = new CapacityTally();
    const touched = new CapacityTally();
    for (const [index, action] of actions.entries()) {
      const table = tables.get(action.tableName);
      const check = checks[index];
      if (table === undefined || check === undefined) {
        throw resourceNotFound();
      }
      if (!check.ok) {
        if (check.kind === "count" || check.kind === "missing" || check.kind === "empty") {
          throw validationException(check.message);
        }
        reasons.push({ Code: "ValidationError", Message: check.message });
        continue;
      }
      const id = itemId(action.tableName, check.key);
      const before = staging.current(id);
      const reason = await runAction(action, table, id, staging);
      reasons.push(reason);
      if (reason.Code === "ConditionalCheckFailed" && action.returnOldOnFailure) {
        returnOld.push({ index, id });
      }
      capacity.add(action.tableName, 2 * Math.max(capacityUnits(before), capacityUnits(staging.current(id))));
      touched.add(action.tableName, 1);
    }
    if (reasons.some((reason) => reason.Code !== "None")) {
      // DynamoDB Local reads the item for ALL_OLD once all actions have run: an item that a later
      // action of the same transaction wrote is reported as that action left it.
      for (const { index, id } of returnOld) {
        const item = staging.current(id);
        const reason = reasons[index];
        if (item !== undefined && reason !== undefined) {
          reasons[index] = { Item: item, ...reason };
        }
      }
      throw transactionCanceled(reasons);
    }
    await commitStaged(store, staging.operations);
    const consumed = consumedCapacity(request.returnConsumedCapacity, "write", capacity);
    return { answer: consumed === undefined ? {} : { ConsumedCapacity: consumed }, saved: touched.entries() };
  } finally {
    release();
  }
}

/** The items to lock: those with a table and a well-formed key, each once. */
function distinctItems(
  actions: readonly WriteAction[],
  checks: readonly (KeyCheck | undefined)[],
): { readonly tableName: string; readonly key: string }[] {
  const items = new Map<string, { readonly tableName: string; readonly key: string }>();
  for (const [index, action] of actions.entries()) {
    const check = checks[index];
    if (check?.ok === true) {
      items.set(itemId(action.tableName, check.key), { tableName: action.tableName, key: check.key });
    }
  }
  return [...items.values()];
}

/**
 * Runs one action against the staging store: its cancellation reason (`None` or
 * `ConditionalCheckFailed`, without the item), or throws what DynamoDB Local throws for it (an update that cannot
 * be applied, a second action on one item, an Update of a key attribute).
 */
async function runAction(action: WriteAction, table: Table, id: string, staging: StagingStore): Promise<CancellationReason> {
  const existing = staging.current(id);
  const conditionFailed = (): CancellationReason => ({
    Code: "ConditionalCheckFailed",
    // DynamoDB Local ends the message with a full stop for ConditionCheck only.
    Message: action.kind === "ConditionCheck" ? `${CONDITION_FAILED}.` : CONDITION_FAILED,
  });
  const conditionHolds = (): boolean => {
    const failed = dynaliteDb.checkConditional(action.data, existing);
    return failed === undefined || failed === null;
  };
  if (action.kind === "ConditionCheck") {
    if (!conditionHolds()) {
      return conditionFailed();
    }
    staging.touch(id);
    return { Code: "None" };
  }
  if (action.kind === "Update") {
    // dynalite's UpdateItem checks the update's targets before its condition; DynamoDB Local
    // evaluates the condition first.
    const invalid = invalidUpdate(action, table);
    if (invalid !== undefined) {
      if (!conditionHolds()) {
        return conditionFailed();
      }
      throw invalid;
    }
  }
  if (action.kind === "Put") {
    const invalid = dynaliteDb.validateItem(action.keyAttributes, table);
    if (invalid !== undefined && invalid !== null) {
      throw fromDynaliteError(invalid);
    }
  }
  const run = action.kind === "Put" ? putItemAction : action.kind === "Update" ? updateItemAction : deleteItemAction;
  try {
    await callDynalite((callback) => run(staging.store, { ...action.data }, callback));
    return { Code: "None" };
  } catch (error) {
    if (isServiceError(error) && error.body.__type.endsWith("#ConditionalCheckFailedException")) {
      return conditionFailed();
    }
    throw fromDynaliteError(error);
  }
}

/**
 * What is wrong with an Update's targets: updating a key attribute, which DynamoDB Local answers
 * with a cancellation that has that one reason (not one per action); or what else dynalite's
 * `validateUpdates` finds (index key types, nested key paths), a ValidationException.
 */
function invalidUpdate(action: WriteAction, table: Table): WireError | undefined {
  const updates = action.data["_updates"] as { readonly sections: readonly { readonly path: readonly unknown[] }[] } | undefined;
  const keyNames = table.KeySchema.map((element) => element.AttributeName);
  const keyUpdate = updates?.sections.find((section) => keyNames.includes(section.path[0] as string));
  if (keyUpdate !== undefined) {
    return transactionCanceled([
      {
        Code: "ValidationError",
        Message: `One or more parameter values were invalid: Cannot update attribute ${String(keyUpdate.path[0])}. This attribute is part of the key`,
      },
    ]);
  }
  const invalid = dynaliteDb.validateUpdates(undefined, updates, table);
  return invalid === undefined || invalid === null ? undefined : fromDynaliteError(invalid);
}

function capacityUnits(item: Item | undefined): number {
  return dynaliteDb.capacityUnits(item, false, true);
}

function replayAnswer(request: TransactWriteRequest, saved: WriteReplay): TransactWriteAnswer {
  const tally = new CapacityTally();
  for (const [tableName, items] of saved) {
    tally.add(tableName, 2 * items);
  }
  const capacity = consumedCapacity(request.returnConsumedCapacity, "read", tally);
  return capacity === undefined ? {} : { ConsumedCapacity: capacity };
}
