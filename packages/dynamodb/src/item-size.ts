import type { AttributeValue, TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { InvalidArgumentError } from "@projectionkit/core";
import { requireOneActionKind, type TransactActionKind } from "./transact-items.js";

/*
 * DynamoDB's item-size rules, as documented in "DynamoDB item sizes and formats"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 *
 * - an item is the sum of its attributes: the attribute name's UTF-8 bytes plus the value's size;
 * - S: the UTF-8 bytes of the string;
 * - N: "variable length, with up to 38 significant digits. Leading and trailing zeroes are
 *   trimmed", approximately 1 byte per two significant digits plus 1 byte (see numberSize: the
 *   exact count, measured on DynamoDB Local, is never smaller than that approximation);
 * - B: the raw byte length (not the base64 text);
 * - NULL, BOOL: 1 byte;
 * - L, M: 3 bytes of overhead, plus the nested elements' sizes, plus 1 byte per element; a map's
 *   elements count their names (UTF-8 bytes) like an item's attributes;
 * - SS, NS, BS: the sum of the elements' sizes (the page states no overhead for sets).
 *
 * DynamoDB Local 1.25.1 reports the same sizes for every type in its "Transaction payload size"
 * check (measured value by value), numbers included when counted as in numberSize.
 */

const VALUE_TYPES = ["S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"] as const;

export type { TransactActionKind } from "./transact-items.js";

/** The number of UTF-8 bytes of a string, as DynamoDB counts strings and attribute names. */
function utf8ByteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/**
 * A DynamoDB number taken apart: sign, significant digits (no leading or trailing zeros) and the
 * position of the decimal point relative to the first significant digit, so that the value is
 * `(negative ? -1 : 1) × 0.digits × 10^point`. Zero has no digits, is not negative and has point 0.
 *
 * @example
 * ```ts
 * const parts: NumberParts = { negative: false, digits: "15", point: 1n }; // 1.5
 * ```
 */
export interface NumberParts {
  readonly negative: boolean;
  readonly digits: string;
  readonly point: bigint;
}

const NUMBER_SYNTAX = /^\s*([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

/**
 * Parses the text of a DynamoDB number (`N`) into its {@link NumberParts}; `undefined` when the
 * text is not a decimal number (DynamoDB rejects such a value).
 *
 * @param text - the number as sent to DynamoDB, e.g. `"-0012.3400"` or `"1.5E3"`.
 * @returns its sign, significant digits and decimal point, or `undefined`.
 *
 * @internal
 */
export function parseDynamoNumber(text: string): NumberParts | undefined {
  const match = NUMBER_SYNTAX.exec(text);
  if (match === null) {
    return undefined;
  }
  const [, sign, whole = "", fraction = "", exponent] = match;
  if (whole.length === 0 && fraction.length === 0) {
    return undefined;
  }
  const all = whole + fraction;
  const leading = all.length - all.replace(/^0+/, "").length;
  const digits = all.slice(leading).replace(/0+$/, "");
  if (digits.length === 0) {
    return { negative: false, digits: "", point: 0n };
  }
  return {
    negative: sign === "-",
    digits,
    point: BigInt(whole.length - leading) + (exponent === undefined ? 0n : BigInt(exponent)),
  };
}

/** `floor(value / 2)` for any bigint (bigint division truncates towards zero). */
function halfFloor(value: bigint): bigint {
  return value >= 0n ? value / 2n : -((1n - value) / 2n);
}

/**
 * The size of a plain integer without a leading zero (`-?[1-9][0-9]*`), the number syntax's most
 * common form, read character by character (no regular expression, nothing allocated); `undefined`
 * for any other text. E.g. "-120": digits 12, point 3.
 */
function plainIntegerSize(text: string): number | undefined {
  const negative = text.charCodeAt(0) === 0x2d; // "-"
  const start = negative ? 1 : 0;
  const whole = text.length - start;
  const firstDigit = text.charCodeAt(start);
  if (whole === 0 || firstDigit < 0x31 || firstDigit > 0x39) {
    return undefined; // empty, a leading zero, or not a digit
  }
  let trailingZeros = 0;
  for (let index = start + 1; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x30 || code > 0x39) {
      return undefined;
    }
    trailingZeros = code === 0x30 ? trailingZeros + 1 : 0;
  }
  const significant = whole - trailingZeros;
  const first = Math.floor((whole - 1) / 2);
  const last = Math.floor((whole - significant) / 2);
  return first - last + 1 + 1 + (negative ? 1 : 0);
}

/**
 * The size of a number. The guide says "approximately 1 byte per two significant digits, plus 1
 * byte"; exactly, a number is stored as base-100 digits aligned on the decimal point (so `1.5`
 * takes the two digits `01` and `50`), plus 1 byte, plus 1 more byte for a negative number. That
 * exact count is never smaller than the documented approximation (ceil(significant digits / 2) + 1)
 * and is what DynamoDB Local 1.25.1 counts for the 4 MB transaction limit (measured: `1.5` and `-1`
 * are 3 bytes, `-123` 4, `0.05` and `100` 2). Text that is not a number is sized generously by all
 * its digits.
 */
function numberSize(text: string): number {
  const plain = plainIntegerSize(text);
  if (plain !== undefined) {
    return plain;
  }
  const parts = parseDynamoNumber(text);
  if (parts === undefined) {
    return Math.ceil(text.replace(/\D/g, "").length / 2) + 2;
  }
  if (parts.digits.length === 0) {
    return 1;
  }
  // Digit i (0-based) stands for 10^(point - 1 - i); base-100 digit k covers 10^(2k) and 10^(2k+1).
  const first = halfFloor(parts.point - 1n);
  const last = halfFloor(parts.point - BigInt(parts.digits.length));
  return Number(first - last) + 1 + 1 + (parts.negative ? 1 : 0);
}

function binarySize(value: unknown, argument: string): number {
  if (ArrayBuffer.isView(value)) {
    return value.byteLength;
  }
  if (typeof value === "string") {
    // The SDK sends a string given as binary as its UTF-8 bytes.
    return utf8ByteLength(value);
  }
  throw new InvalidArgumentError(argument, "expected binary data (a Uint8Array)");
}

function arrayOf(value: unknown, argument: string): readonly unknown[] {
  if (!Array.isArray(value)) {
    throw new InvalidArgumentError(argument, "expected an array");
  }
  return value;
}

function stringOf(value: unknown, argument: string): string {
  if (typeof value !== "string") {
    throw new InvalidArgumentError(argument, "expected a string");
  }
  return value;
}

/**
 * The size of a value of one of the scalar types (`S`, `N`, `B`, `BOOL`, `NULL`) whose field has
 * the right type, without building error paths; `undefined` for anything else, which
 * {@link valueSize} then sizes or rejects. Every item and expression value goes through here.
 */
function scalarValueSize(value: unknown): number | undefined {
  if (typeof value !== "object" || value === null) {
    return undefined;
  }
  const fields = value as Record<string, unknown>;
  let type: (typeof VALUE_TYPES)[number] | undefined;
  for (const candidate of VALUE_TYPES) {
    if (fields[candidate] !== undefined) {
      if (type !== undefined) {
        return undefined;
      }
      type = candidate;
    }
  }
  const field = type === undefined ? undefined : fields[type];
  switch (type) {
    case "S":
      return typeof field === "string" ? utf8ByteLength(field) : undefined;
    case "N":
      return typeof field === "string" ? numberSize(field) : undefined;
    case "B":
      return ArrayBuffer.isView(field) ? field.byteLength : undefined;
    case "NULL":
    case "BOOL":
      return 1;
    default:
      return undefined;
  }
}

function valueSize(value: unknown, argument: string): number {
  if (typeof value !== "object" || value === null) {
    throw new InvalidArgumentError(argument, "expected an AttributeValue object such as { S: \"text\" }");
  }
  const fields = value as Record<string, unknown>;
  const present = VALUE_TYPES.filter((type) => fields[type] !== undefined);
  const [type] = present;
  if (type === undefined || present.length > 1) {
    throw new InvalidArgumentError(
      argument,
      `expected exactly one of ${VALUE_TYPES.join(", ")}; found ${present.length === 0 ? "none" : present.join(", ")}`,
    );
  }
  const field = fields[type];
  const at = `${argument}.${type}`;
  switch (type) {
    case "S":
      return utf8ByteLength(stringOf(field, at));
    case "N":
      return numberSize(stringOf(field, at));
    case "B":
      return binarySize(field, at);
    case "SS":
      return arrayOf(field, at).reduce<number>((sum, element, i) => sum + utf8ByteLength(stringOf(element, `${at}[${i}]`)), 0);
    case "NS":
      return arrayOf(field, at).reduce<number>((sum, element, i) => sum + numberSize(stringOf(element, `${at}[${i}]`)), 0);
    case "BS":
      return arrayOf(field, at).reduce<number>((sum, element, i) => sum + binarySize(element, `${at}[${i}]`), 0);
    case "L":
      return arrayOf(field, at).reduce<number>((sum, element, i) => sum + 1 + valueSize(element, `${at}[${i}]`), 3);
    case "M":
      return 3 + mapSize(field, at, 1);
    case "NULL":
    case "BOOL":
      return 1;
  }
}

/** The size of a map of attributes: names plus values plus `perElement` bytes each. */
function mapSize(map: unknown, argument: string, perElement: number): number {
  if (typeof map !== "object" || map === null || Array.isArray(map)) {
    throw new InvalidArgumentError(argument, "expected an object from attribute names to AttributeValues");
  }
  let size = 0;
  // `for…in` with `hasOwn` rather than `Object.entries`: no array per attribute (items are sized
  // once per event).
  for (const name in map) {
    const value: unknown = (map as Record<string, unknown>)[name];
    // The SDK leaves out attributes whose value is null or undefined.
    if (value !== undefined && value !== null && Object.hasOwn(map, name)) {
      size += utf8ByteLength(name) + (scalarValueSize(value) ?? valueSize(value, `${argument}.${name}`)) + perElement;
    }
  }
  return size;
}

/**
 * The size of one attribute value by DynamoDB's item-size rules (without the attribute name):
 * S the UTF-8 bytes; N its base-100 digits aligned on the decimal point (leading and trailing
 * zeros trimmed) plus one byte, plus one more when negative (the guide's "approximately one byte
 * per two significant digits plus one", made exact as DynamoDB Local counts it, never smaller);
 * B the raw bytes; BOOL and NULL one byte; SS, NS and BS the sum of their elements; L and M three
 * bytes plus, per element, one byte plus its size (and, in a map, its name's UTF-8 bytes).
 * Source: "DynamoDB item sizes and formats" in the DynamoDB Developer Guide.
 *
 * @param value - a value in the low-level attribute-value form.
 * @param argument - the name of the value in error messages; `"value"` when omitted.
 * @returns its size in bytes.
 * @throws `InvalidArgumentError` when the value does not have exactly one type set or a type's
 *   content is malformed.
 *
 * @example
 * ```ts
 * attributeValueSize({ S: "héllo" }); // 6
 * attributeValueSize({ N: "123" }); // 3: base-100 digits 01 23, plus 1
 * attributeValueSize({ N: "-0012.3400" }); // 4: base-100 digits 12 34, plus 1, plus 1 for the sign
 * attributeValueSize({ L: [{ BOOL: true }, { NULL: true }] }); // 3 + (1 + 1) + (1 + 1) = 7
 * ```
 */
export function attributeValueSize(value: AttributeValue, argument = "value"): number {
  return valueSize(value, argument);
}

/**
 * The size of an item by DynamoDB's documented item-size rules: for each attribute, its name's
 * UTF-8 bytes plus {@link attributeValueSize} of its value. Attributes whose value is `undefined`
 * or `null` are not sent by the SDK and count nothing.
 *
 * @param item - the attributes in the low-level attribute-value form.
 * @param argument - the name of the item in error messages; `"item"` when omitted.
 * @returns its size in bytes.
 * @throws `InvalidArgumentError` when an attribute value is malformed.
 *
 * @example
 * ```ts
 * itemSize({ pk: { S: "account#1" }, balance: { N: "250" } }); // (2 + 9) + (7 + 3) = 21
 * ```
 */
export function itemSize(item: Record<string, AttributeValue>, argument = "item"): number {
  return mapSize(item, argument, 0);
}

/**
 * The kind of action a `TransactWriteItem` holds, checking that exactly one is set (see
 * `requireOneActionKind`) and that it has a table name and an `Item` or `Key` object.
 *
 * @param action - one element of `TransactItems`.
 * @param argument - the name of the action in error messages.
 * @returns `"Put"`, `"Update"`, `"Delete"` or `"ConditionCheck"`.
 * @throws `InvalidArgumentError` naming `argument` (or its field) otherwise.
 *
 * @internal
 */
export function transactActionKind(action: TransactWriteItem, argument: string): TransactActionKind {
  const kind = requireOneActionKind(action, argument);
  const body = action[kind] as unknown as Record<string, unknown>;
  if (typeof body !== "object") {
    throw new InvalidArgumentError(`${argument}.${kind}`, "expected an object");
  }
  if (typeof body["TableName"] !== "string") {
    throw new InvalidArgumentError(`${argument}.${kind}.TableName`, "expected the table's name");
  }
  const keyField = kind === "Put" ? "Item" : "Key";
  const key = body[keyField];
  if (typeof key !== "object" || key === null || Array.isArray(key)) {
    throw new InvalidArgumentError(`${argument}.${kind}.${keyField}`, "expected an object from attribute names to AttributeValues");
  }
  return kind;
}

/** The placeholders (`#name`, `:value`) an expression refers to, with how often. */
const PLACEHOLDER = /[#:][A-Za-z0-9_]+/g;

/**
 * The size of the expressions of an action as DynamoDB Local 1.25.1 counts them for the 4 MB
 * limit (measured): the UTF-8 bytes of each expression, plus, for every reference to a placeholder
 * in them, the UTF-8 bytes of the attribute name (`#name`) or the size of the value (`:value`) it
 * stands for. A placeholder that no expression refers to (DynamoDB rejects those) counts once.
 */
function expressionsSize(body: Record<string, unknown>, at: string): number {
  const update = expressionText(body, "UpdateExpression", at);
  const condition = expressionText(body, "ConditionExpression", at);
  const { bytes, counts } = expressionShape(update, condition);
  return bytes + placeholdersSize(body, "ExpressionAttributeNames", at, counts) + placeholdersSize(body, "ExpressionAttributeValues", at, counts);
}

/**
 * The size of what the placeholders of one map (`ExpressionAttributeNames` or
 * `ExpressionAttributeValues`) stand for: each entry's size, as often as the expressions refer to
 * it (at least once). An entry's name for errors (`….ExpressionAttributeValues.:v`) is built only
 * for an entry that is not a plain string or scalar value.
 */
function placeholdersSize(body: Record<string, unknown>, field: "ExpressionAttributeNames" | "ExpressionAttributeValues", at: string, counts: ReadonlyMap<string, number>): number {
  const map = body[field];
  if (map === undefined || map === null) {
    return 0;
  }
  const names = field === "ExpressionAttributeNames";
  if (typeof map !== "object" || Array.isArray(map)) {
    throw new InvalidArgumentError(`${at}.${field}`, `expected an object from placeholders to ${names ? "attribute names" : "AttributeValues"}`);
  }
  let size = 0;
  for (const placeholder in map) {
    const entry: unknown = (map as Record<string, unknown>)[placeholder];
    if (entry === undefined || entry === null || !Object.hasOwn(map, placeholder)) {
      continue;
    }
    // The common entries first (a name, a scalar value); the rest, with the entry's name.
    const plain = names ? (typeof entry === "string" ? utf8ByteLength(entry) : undefined) : scalarValueSize(entry);
    const entrySize = plain ?? placeholderEntrySize(entry, names, `${at}.${field}.${placeholder}`);
    size += Math.max(1, counts.get(placeholder) ?? 0) * entrySize;
  }
  return size;
}

/** The size of a placeholder's entry that is not a plain name or scalar value; `where` names it in errors. */
function placeholderEntrySize(entry: unknown, isName: boolean, where: string): number {
  return isName ? utf8ByteLength(stringOf(entry, where)) : valueSize(entry, where);
}

/** An expression field's text, `undefined` when absent. */
function expressionText(body: Record<string, unknown>, field: "UpdateExpression" | "ConditionExpression", at: string): string | undefined {
  const expression = body[field];
  if (expression === undefined || expression === null) {
    return undefined;
  }
  return typeof expression === "string" ? expression : stringOf(expression, `${at}.${field}`);
}

/** What {@link expressionsSize} needs of an action's expressions: their bytes and placeholder counts. */
interface ExpressionShape {
  readonly bytes: number;
  readonly counts: ReadonlyMap<string, number>;
}

/**
 * The shapes of recent expression pairs, by update expression, then by condition: a projection
 * sends the same few expressions with every event, so each pair is parsed once. Keyed by the texts
 * themselves (no key to build per action). Bounded; emptied when full.
 */
const expressionShapes = new Map<string | undefined, Map<string | undefined, ExpressionShape>>();
let cachedExpressionShapes = 0;
const MAX_EXPRESSION_SHAPES = 256;
/** Longer expressions (DynamoDB allows 4 KB each) are parsed every time rather than kept. */
const MAX_CACHED_KEY_LENGTH = 8_200;

function expressionShape(update: string | undefined, condition: string | undefined): ExpressionShape {
  const cached = expressionShapes.get(update)?.get(condition);
  if (cached !== undefined) {
    return cached;
  }
  const counts = new Map<string, number>();
  let bytes = 0;
  for (const text of [update, condition]) {
    if (text === undefined) {
      continue;
    }
    bytes += utf8ByteLength(text);
    for (const [token] of text.matchAll(PLACEHOLDER)) {
      counts.set(token, (counts.get(token) ?? 0) + 1);
    }
  }
  const shape = { bytes, counts };
  if ((update?.length ?? 0) + (condition?.length ?? 0) <= MAX_CACHED_KEY_LENGTH) {
    if (cachedExpressionShapes >= MAX_EXPRESSION_SHAPES) {
      expressionShapes.clear();
      cachedExpressionShapes = 0;
    }
    let byCondition = expressionShapes.get(update);
    if (byCondition === undefined) {
      byCondition = new Map();
      expressionShapes.set(update, byCondition);
    }
    byCondition.set(condition, shape);
    cachedExpressionShapes++;
  }
  return shape;
}

/**
 * The contribution of one action to the 4 MB limit of `TransactWriteItems` (D9, D10): the
 * {@link itemSize} of the `Put`'s `Item`, or of the `Key` of an `Update`, `Delete` or
 * `ConditionCheck`, plus the UTF-8 bytes of its `UpdateExpression` and `ConditionExpression`,
 * plus, for every reference to a placeholder in them, the UTF-8 bytes of the attribute name or
 * the size of the value it stands for (a value used twice counts twice). The table name and the
 * `Return…` options are not counted.
 *
 * The guide only says "the aggregate size of the items in the transaction cannot exceed 4 MB",
 * which is exact for a `Put` without a condition. For the rest the rule is the one DynamoDB Local
 * 1.25.1 applies (measured byte for byte with its "Transaction payload size" error, including that
 * a condition's values count for a `Put` too, and that an `Update` of a large stored item counts
 * only its request, not the stored item). The real service may count differently in cases the
 * documentation does not describe; this rule is never smaller than the item sizes the guide
 * describes.
 *
 * @param action - one element of `TransactItems`.
 * @param argument - the name of the action in error messages; `"action"` when omitted.
 * @returns the action's size in bytes.
 * @throws `InvalidArgumentError` naming `argument` unless exactly one of `Put`, `Update`,
 *   `Delete`, `ConditionCheck` is set with a table name and an `Item` or `Key`, or when a value is
 *   malformed.
 *
 * @example
 * ```ts
 * transactActionSize({ Put: { TableName: "T", Item: { pk: { S: "a" } } } }); // 3
 * transactActionSize({
 *   Update: {
 *     TableName: "T",
 *     Key: { pk: { S: "a" } }, // 2 + 1
 *     UpdateExpression: "SET #n = :v, #m = :v", // 20
 *     ExpressionAttributeNames: { "#n": "name", "#m": "m" }, // 4 + 1
 *     ExpressionAttributeValues: { ":v": { S: "x" } }, // 1, used twice: 2
 *   },
 * }); // 30
 * ```
 */
export function transactActionSize(action: TransactWriteItem, argument = "action"): number {
  const kind = transactActionKind(action, argument);
  const at = `${argument}.${kind}`;
  const body = action[kind] as unknown as Record<string, unknown>;
  const keyField = kind === "Put" ? "Item" : "Key";
  return itemSize(body[keyField] as Record<string, AttributeValue>, `${at}.${keyField}`) + expressionsSize(body, at);
}
