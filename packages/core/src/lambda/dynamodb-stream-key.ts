import { createHash } from "node:crypto";
import { InvalidArgumentError } from "../errors/argument-errors.js";
import { describeValue } from "../validation.js";
import type { DynamoDBStreamRecordLike } from "./aws-event-shapes.js";

/** `arn:<partition>:dynamodb:<region>:<account>:table/<table>/stream/<label>`. */
const STREAM_ARN = /^arn:[A-Za-z0-9-]+:dynamodb:[A-Za-z0-9-]*:\d*:table\/([A-Za-z0-9_.-]+)\/stream\/[^/]+$/;

/**
 * The default stream of a DynamoDB Streams record: the item it changed, as the table name from
 * `eventSourceARN`, a `/`, and the record's `Keys` as canonical JSON (attribute names sorted at
 * every level), e.g. `Orders/{"pk":{"S":"order-17"},"sk":{"N":"2"}}`. Table names cannot contain
 * `/`, so the form is unambiguous. Each item's changes are ordered by their sequence numbers.
 *
 * Keys can be large (a partition key up to 2048 bytes, a sort key up to 1024), and a backend puts
 * the stream into a key of its own (the DynamoDB adapter: handler key + space + stream, at most
 * 2048 bytes). So a stream over {@link MAX_READABLE_STREAM_BYTES} UTF-8 bytes is shortened to the
 * table, `/#sha256:` and the SHA-256 of its canonical keys in hex, e.g.
 * `Orders/#sha256:9f86d0…` (a `{` always starts the readable form, so the two never meet).
 *
 * @param record - the record.
 * @param argument - how to name the record in an error.
 * @returns the stream.
 * @throws `InvalidArgumentError` for a record without a table stream ARN or without keys.
 *
 * @example
 * ```ts
 * dynamoDBItemStream(record); // 'Orders/{"pk":{"S":"order-17"}}'
 * ```
 */
export function dynamoDBItemStream(record: DynamoDBStreamRecordLike, argument = "record"): string {
  const arn: unknown = record.eventSourceARN;
  const table = typeof arn === "string" ? STREAM_ARN.exec(arn)?.[1] : undefined;
  if (table === undefined) {
    throw new InvalidArgumentError(
      `${argument}.eventSourceARN`,
      `expected a DynamoDB stream ARN (arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>), got ${typeof arn === "string" ? JSON.stringify(arn) : describeValue(arn)}`,
    );
  }
  const keys: unknown = record.dynamodb?.Keys;
  if (typeof keys !== "object" || keys === null || Array.isArray(keys) || Object.keys(keys).length === 0) {
    throw new InvalidArgumentError(`${argument}.dynamodb.Keys`, `expected the item's key attributes, got ${describeValue(keys)}`);
  }
  const canonical = canonicalJson(keys, `${argument}.dynamodb.Keys`);
  const stream = `${table}/${canonical}`;
  if (new TextEncoder().encode(stream).length <= MAX_READABLE_STREAM_BYTES) {
    return stream;
  }
  return `${table}/#sha256:${createHash("sha256").update(canonical, "utf8").digest("hex")}`;
}

/**
 * The longest default DynamoDB Streams stream kept readable, in UTF-8 bytes; longer ones are
 * hashed (see {@link dynamoDBItemStream}).
 *
 * @example
 * ```ts
 * const readable = new TextEncoder().encode(stream).length <= MAX_READABLE_STREAM_BYTES;
 * ```
 */
export const MAX_READABLE_STREAM_BYTES = 512;

/**
 * JSON with the names of every object sorted, so that equal values give equal strings whatever
 * the order of their attributes.
 *
 * @param value - plain JSON data.
 * @param argument - how to name the value in an error.
 * @returns the JSON text.
 * @throws `InvalidArgumentError` for a value JSON cannot hold (a function, a bigint, a symbol).
 *
 * @example
 * ```ts
 * canonicalJson({ sk: { N: "2" }, pk: { S: "a" } }); // '{"pk":{"S":"a"},"sk":{"N":"2"}}'
 * ```
 */
export function canonicalJson(value: unknown, argument = "value"): string {
  if (Array.isArray(value)) {
    return `[${value.map((item, index) => canonicalJson(item ?? null, `${argument}[${index}]`)).join(",")}]`;
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item, `${argument}.${name}`)}`).join(",")}}`;
  }
  if (typeof value === "string" || typeof value === "boolean" || value === null || (typeof value === "number" && Number.isFinite(value))) {
    return JSON.stringify(value);
  }
  throw new InvalidArgumentError(argument, `expected JSON data, got ${describeValue(value)}`);
}
