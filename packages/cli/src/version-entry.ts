import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { base64, hex, printableText, versionOffset } from "./byte-forms.js";

/**
 * One version item of a projection, as a scan found it.
 *
 * @example
 * ```ts
 * const entry: VersionEntry = {
 *   key: versionItemKey(handlerKey, resource),
 *   resource,
 *   version: encodeOffset(41),
 *   versionType: "B",
 * };
 * ```
 */
export interface VersionEntry {
  /** The item's whole key: UTF-8 handler key + space + resource. */
  readonly key: Uint8Array;
  /** The resource: the key after the handler key and the space (empty only in items the adapter never writes). */
  readonly resource: Uint8Array;
  /** The stored version; empty when the item has no version attribute or an empty one. */
  readonly version: Uint8Array;
  /**
   * The DynamoDB type of the version attribute: `"B"` as the adapter and the Go library write it,
   * `undefined` when the attribute is absent, another type (e.g. `"S"`) for a malformed item,
   * whose `version` is then empty.
   */
  readonly versionType: string | undefined;
}

/**
 * The decoded item of a version entry, as `projectionkit versions --json` prints it (one per line).
 * Bytes come raw (hex and base64) and decoded: `text` when the resource is printable UTF-8,
 * `offset` (a decimal string, as offsets go up to 2^64 - 1) when the version is 8 bytes.
 *
 * @example
 * ```ts
 * const line: VersionEntryJson = {
 *   resource: { hex: "6163632d31", base64: "YWNjLTE=", text: "acc-1" },
 *   version: { hex: "0000000000000029", base64: "AAAAAAAAACk=", offset: "41" },
 * };
 * ```
 */
export interface VersionEntryJson {
  readonly resource: { readonly hex: string; readonly base64: string; readonly text: string | null };
  readonly version: { readonly hex: string; readonly base64: string; readonly offset: string | null; readonly malformedType?: string };
}

/**
 * Reads a scanned item as a version entry, when its key starts with `prefix` (the filter of the
 * scan guarantees it; other items give `undefined`).
 *
 * @param item - the item as the scan returned it.
 * @param prefix - `versionKeyPrefix(handlerKey)`.
 * @param names - the key and version attribute names.
 * @returns the entry, or `undefined` for an item of another handler or without a binary key.
 *
 * @example
 * ```ts
 * const entry = readVersionEntry(item, versionKeyPrefix(handlerKey), { key: "HandlerAndResource", version: "Version" });
 * ```
 */
export function readVersionEntry(
  item: Record<string, AttributeValue>,
  prefix: Uint8Array,
  names: { readonly key: string; readonly version: string },
): VersionEntry | undefined {
  const key = item[names.key]?.B;
  if (key === undefined || key.length < prefix.length || !startsWith(key, prefix)) {
    return undefined;
  }
  const attribute = item[names.version];
  const versionType = attribute === undefined ? undefined : (Object.keys(attribute).find((type) => type !== "$unknown") ?? "$unknown");
  return {
    key,
    resource: key.subarray(prefix.length),
    version: attribute?.B ?? new Uint8Array(),
    versionType,
  };
}

/**
 * The JSON form of an entry (see {@link VersionEntryJson}).
 *
 * @param entry - a version entry.
 * @returns its JSON form.
 *
 * @example
 * ```ts
 * JSON.stringify(versionEntryJson(entry));
 * ```
 */
export function versionEntryJson(entry: VersionEntry): VersionEntryJson {
  const offset = versionOffset(entry.version);
  return {
    resource: { hex: hex(entry.resource), base64: base64(entry.resource), text: printableText(entry.resource) ?? null },
    version: {
      hex: hex(entry.version),
      base64: base64(entry.version),
      offset: offset === undefined ? null : offset.toString(),
      ...(isMalformed(entry) ? { malformedType: entry.versionType } : {}),
    },
  };
}

/**
 * Whether the item's version attribute has a type other than B (neither the adapter nor the Go
 * library writes such items).
 *
 * @param entry - a version entry.
 * @returns `true` for a version attribute of another type.
 *
 * @example
 * ```ts
 * isMalformed({ ...entry, versionType: "S" }); // true
 * ```
 */
export function isMalformed(entry: VersionEntry): entry is VersionEntry & { readonly versionType: string } {
  return entry.versionType !== undefined && entry.versionType !== "B";
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  for (let i = 0; i < prefix.length; i++) {
    if (bytes[i] !== prefix[i]) {
      return false;
    }
  }
  return true;
}
