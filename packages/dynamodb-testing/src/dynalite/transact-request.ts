import {
  deleteItemValidation,
  dynaliteValidations,
  getItemValidation,
  putItemValidation,
  updateItemValidation,
  type Item,
  type Store,
} from "./dynalite-internals.js";
import { fromDynaliteError, validationException } from "./wire-errors.js";

/**
 * The four kinds of action of a `TransactWriteItems`.
 *
 * @internal
 */
export type WriteActionKind = "ConditionCheck" | "Put" | "Delete" | "Update";

/**
 * `ReturnConsumedCapacity` as validated.
 *
 * @internal
 */
export type ReturnConsumedCapacity = "INDEXES" | "TOTAL" | "NONE" | undefined;

/**
 * One validated action of a `TransactWriteItems`, in the shape of dynalite's single-item request
 * (`data`), with the expressions already parsed by dynalite's validation (`_condition`, `_updates`).
 *
 * @internal
 */
export interface WriteAction {
  /** The position in `TransactItems`, from 0. */
  readonly index: number;
  readonly kind: WriteActionKind;
  readonly tableName: string;
  /** `Item` for a Put, `Key` otherwise. */
  readonly keyAttributes: Item;
  /** The action as dynalite's PutItem/UpdateItem/DeleteItem request, after dynalite's validation. */
  readonly data: Readonly<Record<string, unknown>>;
  /** `ReturnValuesOnConditionCheckFailure: ALL_OLD`. */
  readonly returnOldOnFailure: boolean;
}

/**
 * A validated `TransactWriteItems` request.
 *
 * @internal
 */
export interface TransactWriteRequest {
  readonly actions: readonly WriteAction[];
  readonly clientRequestToken: string | undefined;
  readonly returnConsumedCapacity: ReturnConsumedCapacity;
  /** `TransactItems` in a canonical JSON form, to recognise a repeated `ClientRequestToken`. */
  readonly fingerprint: string;
}

/**
 * One validated `Get` of a `TransactGetItems`.
 *
 * @internal
 */
export interface GetAction {
  readonly index: number;
  readonly tableName: string;
  readonly key: Item;
  /** The Get as dynalite's GetItem request, with `_projection` parsed. */
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * A validated `TransactGetItems` request.
 *
 * @internal
 */
export interface TransactGetRequest {
  readonly actions: readonly GetAction[];
  readonly returnConsumedCapacity: ReturnConsumedCapacity;
}

/**
 * The most actions one transaction may hold.
 *
 * @example
 * ```ts
 * if (items.length > MAX_TRANSACTION_ACTIONS) {
 *   // …
 * }
 * ```
 */
export const MAX_TRANSACTION_ACTIONS = 100;
const MAX_CLIENT_REQUEST_TOKEN_LENGTH = 36;
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const INVALID_TABLE_NAME =
  "Invalid table/index name.  Table/index names must be between 3 and 255 characters long, " +
  "and may contain only the characters a-z, A-Z, 0-9, '_', '-', and '.'";

// The type trees dynalite checks JSON types against, for the fields of each action, taken from
// dynalite's own PutItem/UpdateItem/DeleteItem/GetItem validations (once dynalite is loaded).
interface Schemas {
  readonly writeRequest: object;
  readonly getRequest: object;
  readonly envelope: Record<string, object | string>;
}

let schemas: Schemas | undefined;

function requestSchemas(): Schemas {
  if (schemas !== undefined) {
    return schemas;
  }
  const expressionFields = ["ConditionExpression", "ExpressionAttributeNames", "ExpressionAttributeValues"];
  const returnValuesOnFailure = { ReturnValuesOnConditionCheckFailure: "String" };
  const putTypes = { ...pick(putItemValidation.types, ["TableName", "Item", ...expressionFields]), ...returnValuesOnFailure };
  const updateTypes = {
    ...pick(updateItemValidation.types, ["TableName", "Key", "UpdateExpression", ...expressionFields]),
    ...returnValuesOnFailure,
  };
  const deleteTypes = { ...pick(deleteItemValidation.types, ["TableName", "Key", ...expressionFields]), ...returnValuesOnFailure };
  const getTypes = pick(getItemValidation.types, ["TableName", "Key", "ProjectionExpression", "ExpressionAttributeNames"]);
  const envelope = pick(putItemValidation.types, ["ReturnConsumedCapacity", "ReturnItemCollectionMetrics"]);
  schemas = {
    writeRequest: {
      TransactItems: {
        type: "List",
        children: {
          type: "ValueStruct<TransactWriteItem>",
          children: {
            ConditionCheck: { type: "FieldStruct<ConditionCheck>", children: deleteTypes },
            Put: { type: "FieldStruct<Put>", children: putTypes },
            Delete: { type: "FieldStruct<Delete>", children: deleteTypes },
            Update: { type: "FieldStruct<Update>", children: updateTypes },
          },
        },
      },
      ClientRequestToken: "String",
      ...envelope,
    },
    getRequest: {
      TransactItems: {
        type: "List",
        children: {
          type: "ValueStruct<TransactGetItem>",
          children: { Get: { type: "FieldStruct<Get>", children: getTypes } },
        },
      },
      ReturnConsumedCapacity: envelope["ReturnConsumedCapacity"],
    },
    envelope,
  };
  return schemas;
}

const WRITE_KINDS: readonly WriteActionKind[] = ["ConditionCheck", "Put", "Delete", "Update"];

/**
 * Validates a `TransactWriteItems` request body as DynamoDB Local 1.25.1 does, with DynamoDB
 * Local's error messages where it has its own, and dynalite's PutItem/UpdateItem/DeleteItem
 * validations (attribute values, expressions, item size) for each action. Expressions come out
 * parsed, as dynalite's actions expect them.
 *
 * Checks that need the tables (keys, duplicates, table existence) come later.
 *
 * @internal
 * @param body - the parsed JSON body.
 * @param store - dynalite's store (for the maximum item size).
 * @returns the validated request.
 * @throws {@link WireError} `SerializationException` for wrong JSON types, `ValidationException` otherwise.
 */
export function parseTransactWriteItems(body: unknown, store: Store): TransactWriteRequest {
  const { writeRequest, envelope } = requestSchemas();
  const data = checkTypes(body, writeRequest);
  const items = data["TransactItems"] as readonly Record<string, unknown>[] | undefined;
  if (items === undefined) {
    throw validationException("Value null at 'transactItems' failed to satisfy constraint: Member must not be null");
  }
  if (items.length === 0) {
    throw validationException(
      "Value [] at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  if (items.length > MAX_TRANSACTION_ACTIONS) {
    throw validationException(`Member must have length less than or equal to ${MAX_TRANSACTION_ACTIONS}`);
  }
  const token = data["ClientRequestToken"] as string | undefined;
  if (token !== undefined && token.length > MAX_CLIENT_REQUEST_TOKEN_LENGTH) {
    throw validationException(
      `Value ${token} at 'clientRequestToken' failed to satisfy constraint: ` +
        `Member must have length less than or equal to ${MAX_CLIENT_REQUEST_TOKEN_LENGTH}`,
    );
  }
  checkConstraints(data, envelope);
  const fingerprint = canonicalJson(items);
  const actions = items.map((item, index) => parseWriteAction(item, index, store));
  return {
    actions,
    clientRequestToken: token,
    returnConsumedCapacity: data["ReturnConsumedCapacity"] as ReturnConsumedCapacity,
    fingerprint,
  };
}

function parseWriteAction(item: Record<string, unknown>, index: number, store: Store): WriteAction {
  const kinds = WRITE_KINDS.filter((kind) => item[kind] !== undefined);
  if (kinds.length === 0) {
    throw validationException("Invalid Request: TransactWriteRequest should contain Delete or Put or Update request");
  }
  const [kind] = kinds;
  if (kind === undefined || kinds.length > 1) {
    throw validationException("TransactItems can only contain one of Check, Put, Update or Delete");
  }
  const fields = item[kind] as Record<string, unknown>;
  const path = `transactItems.${index + 1}.member.${kind === "ConditionCheck" ? "conditionCheck" : kind.toLowerCase()}`;
  const required = ["tableName", kind === "Put" ? "item" : "key", ...(kind === "ConditionCheck" ? ["conditionExpression"] : [])];
  for (const field of required) {
    if (fields[upperFirst(field)] === undefined) {
      throw validationException(`Value null at '${path}.${field}' failed to satisfy constraint: Member must not be null`);
    }
  }
  const returnValues = fields["ReturnValuesOnConditionCheckFailure"];
  if (returnValues !== undefined && returnValues !== "ALL_OLD" && returnValues !== "NONE") {
    // DynamoDB Local answers an InternalFailure (500) here; this is DynamoDB's own validation message.
    throw validationException(
      `1 validation error detected: Value '${String(returnValues)}' at '${path}.returnValuesOnConditionCheckFailure' ` +
        "failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]",
    );
  }
  const tableName = fields["TableName"] as string;
  if (!TABLE_NAME.test(tableName)) {
    throw validationException(INVALID_TABLE_NAME);
  }
  const { ReturnValuesOnConditionCheckFailure: _ignored, ...data } = fields;
  const message =
    kind === "Put"
      ? putItemValidation.custom(data, store)
      : kind === "Update"
        ? updateItemValidation.custom(data)
        : deleteItemValidation.custom(data);
  if (message !== undefined && message !== null) {
    throw validationException(message);
  }
  return {
    index,
    kind,
    tableName,
    keyAttributes: (kind === "Put" ? data["Item"] : data["Key"]) as Item,
    data,
    returnOldOnFailure: returnValues === "ALL_OLD",
  };
}

/**
 * Validates a `TransactGetItems` request body as DynamoDB Local 1.25.1 does, with dynalite's
 * GetItem validation (projection expression, attribute names) for each `Get`.
 *
 * @internal
 * @param body - the parsed JSON body.
 * @returns the validated request.
 * @throws {@link WireError} `SerializationException` for wrong JSON types, `ValidationException` otherwise.
 */
export function parseTransactGetItems(body: unknown): TransactGetRequest {
  const { getRequest, envelope } = requestSchemas();
  const data = checkTypes(body, getRequest);
  const items = data["TransactItems"] as readonly Record<string, unknown>[] | undefined;
  // DynamoDB Local words an empty list, and an entry without Get, as a missing list.
  if (items === undefined || items.length === 0 || items.some((item) => item["Get"] === undefined)) {
    throw validationException("Value null at 'transactItems' failed to satisfy constraint: Member must not be null");
  }
  if (items.length > MAX_TRANSACTION_ACTIONS) {
    throw validationException(`Member must have length less than or equal to ${MAX_TRANSACTION_ACTIONS}`);
  }
  checkConstraints(data, { ReturnConsumedCapacity: envelope["ReturnConsumedCapacity"] });
  const actions = items.map((item, index): GetAction => {
    const get = item["Get"] as Record<string, unknown>;
    if (get["TableName"] === undefined) {
      throw validationException("Requested resource not found");
    }
    if (get["Key"] === undefined) {
      throw validationException("Get Condition for key not in key list");
    }
    const message = getItemValidation.custom(get);
    if (message !== undefined && message !== null) {
      throw validationException(message);
    }
    return { index, tableName: get["TableName"] as string, key: get["Key"] as Item, data: get };
  });
  return { actions, returnConsumedCapacity: data["ReturnConsumedCapacity"] as ReturnConsumedCapacity };
}

function checkTypes(body: unknown, types: object): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw validationException("Value null at 'transactItems' failed to satisfy constraint: Member must not be null");
  }
  try {
    return dynaliteValidations.checkTypes(body, types);
  } catch (error) {
    throw fromDynaliteError(error);
  }
}

function checkConstraints(data: Record<string, unknown>, constraints: object): void {
  try {
    dynaliteValidations.checkValidations(data, constraints);
  } catch (error) {
    throw fromDynaliteError(error);
  }
}

function pick(source: Readonly<Record<string, object | string>>, names: readonly string[]): Record<string, object | string> {
  const picked: Record<string, object | string> = {};
  for (const name of names) {
    const value = source[name];
    if (value === undefined) {
      throw new Error(`dynalite's validation has no field ${name}; is a version other than 4.0.0 installed?`);
    }
    picked[name] = value;
  }
  return picked;
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * JSON with object keys sorted at every level, so that two requests that differ only in key order
 * compare equal (DynamoDB compares requests, not bytes, for `ClientRequestToken`).
 *
 * @internal
 * @param value - a JSON value.
 * @returns its canonical JSON text.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(",")}]`;
  }
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const entries = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}
