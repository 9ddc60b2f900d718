import { InvalidIdentityError } from "./errors/configuration-errors.js";

/**
 * A handler's identity. The name is for humans and logs; the key is the stable id that storage is
 * keyed by (the DynamoDB adapter writes it verbatim into every key), so it must never change.
 *
 * @example
 * ```ts
 * const identity: Identity = {
 *   name: "account-balances",
 *   key: "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11",
 * };
 * ```
 */
export interface Identity {
  /** 1–255 printable characters, no white space. */
  readonly name: string;
  /** A UUID string, used verbatim (its case is kept). */
  readonly key: string;
}

/** Printable, non-space characters: letters, marks, numbers, punctuation and symbols. */
const PRINTABLE_NON_SPACE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]+$/u;

/** The textual UUID form of RFC 9562 §4: 8-4-4-4-12 hexadecimal digits, either case. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The longest identity name, in characters (Unicode code points). */
export const MAX_IDENTITY_NAME_LENGTH = 255;

/**
 * Checks an identity: the name must be 1–255 printable characters (Unicode code points) with no
 * white space or control characters; the key must be a UUID string.
 *
 * @param identity - the identity to check.
 * @returns the same identity.
 * @throws {@link InvalidIdentityError} naming the malformed field.
 *
 * @example
 * ```ts
 * validateIdentity({ name: "account-balances", key: "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11" });
 * ```
 */
export function validateIdentity(identity: Identity): Identity {
  const { name, key } = identity;
  if (typeof name !== "string") {
    throw new InvalidIdentityError("name", name, "expected a string");
  }
  const length = [...name].length;
  if (length === 0 || length > MAX_IDENTITY_NAME_LENGTH) {
    throw new InvalidIdentityError("name", name, `expected 1 to ${MAX_IDENTITY_NAME_LENGTH} characters, got ${length}`);
  }
  if (!PRINTABLE_NON_SPACE.test(name)) {
    throw new InvalidIdentityError("name", name, "expected printable characters without white space");
  }
  validateIdentityKey(key);
  return identity;
}

/**
 * Checks an identity key on its own: a UUID string (8-4-4-4-12 hexadecimal digits, either case).
 * Adapters that take a handler key directly (such as a resource repository) call it.
 *
 * @param key - the key to check.
 * @returns the same key.
 * @throws {@link InvalidIdentityError} with `field` `"key"`.
 *
 * @example
 * ```ts
 * validateIdentityKey("0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
 * ```
 */
export function validateIdentityKey(key: string): string {
  if (typeof key !== "string" || !UUID.test(key)) {
    throw new InvalidIdentityError("key", key, "expected a UUID string such as 0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11");
  }
  return key;
}
