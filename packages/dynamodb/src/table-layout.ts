import { InvalidArgumentError, InvalidResourceError, requireKnownKeys, requireResource, type Resource } from "@projectionkit/core";

/**
 * The attribute names of the version table. The defaults are those of the Go library
 * `dogmatiq/projectionkit` v0.7.1, so that Go and TypeScript services can share a table (D1).
 *
 * @example
 * ```ts
 * const names: AttributeNames = { key: "pk", version: "ver", token: "tok" };
 * ```
 */
export interface AttributeNames {
  /** The HASH key (type B): UTF-8 handler key + one space + resource bytes. Default `HandlerAndResource`. */
  readonly key: string;
  /** The version (type B). Default `Version`. */
  readonly version: string;
  /**
   * The idempotency token of the write that set the version (type S), used to tell whether a call
   * whose response was lost did commit (D8). Go services ignore it. Default `CommitToken`.
   */
  readonly token: string;
}

/**
 * The default attribute names: the Go v0.7.1 layout plus `CommitToken`.
 *
 * @example
 * ```ts
 * DEFAULT_ATTRIBUTE_NAMES.key; // "HandlerAndResource"
 * ```
 */
export const DEFAULT_ATTRIBUTE_NAMES: AttributeNames = Object.freeze({
  key: "HandlerAndResource",
  version: "Version",
  token: "CommitToken",
});

/** The largest partition key DynamoDB accepts, in bytes. */
export const MAX_PARTITION_KEY_BYTES = 2048;

const utf8 = new TextEncoder();

/**
 * Checks optional attribute names and fills in the defaults.
 *
 * @param names - names to override, or nothing.
 * @param argument - the option's name, for errors.
 * @returns the complete names.
 * @throws `InvalidArgumentError` for an unknown field, a non-string or empty name, or two fields
 *   with the same name.
 *
 * @example
 * ```ts
 * resolveAttributeNames({ version: "V" }).key; // "HandlerAndResource"
 * ```
 */
export function resolveAttributeNames(names: Partial<AttributeNames> | undefined, argument = "options.attributeNames"): AttributeNames {
  if (names === undefined) {
    return DEFAULT_ATTRIBUTE_NAMES;
  }
  const resolved = { ...DEFAULT_ATTRIBUTE_NAMES, ...requireKnownKeys(names, argument, Object.keys(DEFAULT_ATTRIBUTE_NAMES)) };
  for (const [field, name] of Object.entries(resolved)) {
    if (typeof name !== "string" || name.length === 0 || utf8.encode(name).length > 255) {
      throw new InvalidArgumentError(`${argument}.${field}`, "expected a name of 1 to 255 bytes");
    }
  }
  if (new Set(Object.values(resolved)).size !== 3) {
    throw new InvalidArgumentError(argument, "key, version and token must be three different attributes");
  }
  return Object.freeze(resolved);
}

/** The last handler key's prefix: a projection asks for the same one with every event. */
let lastPrefix: { readonly handlerKey: string; readonly prefix: Uint8Array } | undefined;

function cachedKeyPrefix(handlerKey: string): Uint8Array {
  if (lastPrefix?.handlerKey !== handlerKey) {
    lastPrefix = { handlerKey, prefix: versionKeyPrefix(handlerKey) };
  }
  return lastPrefix.prefix;
}

/**
 * The partition key of a resource's version item: UTF-8(handler key) + one space (0x20) + the
 * resource bytes, as the Go library writes it (D1). Checked against DynamoDB's 2048-byte limit
 * before any request is sent (D3).
 *
 * @param handlerKey - the handler's identity key, verbatim.
 * @param resource - a non-empty resource.
 * @returns the key bytes.
 * @throws `InvalidResourceError` for an empty resource or a key over 2048 bytes.
 *
 * @example
 * ```ts
 * versionItemKey("0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11", new TextEncoder().encode("acc-1"));
 * // 36 bytes of key, 0x20, then "acc-1"
 * ```
 */
export function versionItemKey(handlerKey: string, resource: Resource): Uint8Array {
  requireResource(resource);
  const prefix = cachedKeyPrefix(handlerKey);
  const length = prefix.length + resource.length;
  if (length > MAX_PARTITION_KEY_BYTES) {
    throw new InvalidResourceError(
      "resource",
      `the version item's key would be ${length} bytes (handler key ${prefix.length - 1} + 1 + resource ${resource.length}); DynamoDB allows ${MAX_PARTITION_KEY_BYTES}`,
    );
  }
  const key = new Uint8Array(length);
  key.set(prefix, 0);
  key.set(resource, prefix.length);
  return key;
}

/**
 * The bytes every version item key of one handler starts with: UTF-8(handler key) + one space
 * (0x20). The rest of the key is the resource (D1). The space ends the prefix, so the prefix of
 * one handler key never matches the items of another handler key that merely starts with the same
 * characters (`k` + space is not a prefix of `kx` + space + …); a handler key that itself contains
 * a space (the Go library did not forbid it; UUID keys never do) is the one case the layout cannot
 * tell apart.
 *
 * @param handlerKey - the handler's identity key, verbatim.
 * @returns the prefix bytes.
 *
 * @example
 * ```ts
 * versionKeyPrefix("0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11"); // 36 bytes of key, then 0x20
 * ```
 */
export function versionKeyPrefix(handlerKey: string): Uint8Array {
  const encoded = utf8.encode(handlerKey);
  const prefix = new Uint8Array(encoded.length + 1);
  prefix.set(encoded, 0);
  prefix[encoded.length] = 0x20;
  return prefix;
}
