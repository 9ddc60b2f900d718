import type { Resource } from "../resource.js";

/**
 * The key under which the driver keeps one stream's work together: its lane in a batch (clause
 * G4), its known version, and, in the Lambda handlers, the records held behind an unreadable one.
 * Two streams share a key exactly when their resources have the same bytes.
 *
 * @param resource - the stream's resource (see `streamResource`).
 * @returns the key: the resource's bytes in hexadecimal.
 * @internal
 */
export function streamKey(resource: Resource): string {
  return Buffer.from(resource.buffer, resource.byteOffset, resource.byteLength).toString("hex");
}
