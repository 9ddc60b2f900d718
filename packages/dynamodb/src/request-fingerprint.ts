/**
 * A deterministic text form of a request part, the same for equal parts: object keys sorted, bytes
 * as hexadecimal, absent and `undefined` fields alike (the SDK sends neither). The decorator guards
 * compare request parts by it; the transaction budget finds two `Put`s of one item by it.
 *
 * @internal
 */
export function requestFingerprint(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, item: unknown) {
    // The value before toJSON: a Buffer and a Uint8Array of the same bytes are the same value.
    const raw = this[key];
    if (ArrayBuffer.isView(raw)) {
      return `bytes:${Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("hex")}`;
    }
    if (typeof item === "object" && item !== null && !Array.isArray(item)) {
      return Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return item;
  }) ?? "undefined";
}
