import { createEventScope, type BatchDelivery, type ProjectionMessageHandler, type ResourceRepository, type VersionConflict } from "@projectionkit/core";
import { describe, expect, it } from "vitest";
import { ownershipCheckedHandler, ownershipCheckedRepository, scribble } from "../src/ownership.js";
import { probeEvent, type ProbeEvent } from "../src/probe.js";

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

/** A repository that records what it was given and hands out arrays it keeps. */
function recordingRepository(kept: Uint8Array) {
  const received: unknown[] = [];
  const repository: ResourceRepository = {
    resourceVersion: async (resource) => {
      received.push(resource);
      return kept;
    },
    storeResourceVersion: async (resource, version) => {
      received.push(resource, version);
    },
    updateResourceVersion: async (resource, current, next, options) => {
      received.push(resource, current, next);
      options?.onConflict?.({ resource, expectedVersion: current ?? bytes(), storedVersion: kept });
      return false;
    },
    deleteResource: async () => {
      throw new Error("refused");
    },
  };
  return { repository, received };
}

describe("K10: the kit's ownership check", () => {
  it("K10: scribble changes every byte, and twice on the same bytes never restores them", () => {
    const array = bytes(0, 0xab, 0xff);
    scribble(array);
    expect([...array].every((byte, i) => byte !== [0, 0xab, 0xff][i])).toBe(true);
    scribble(array);
    expect([...array].every((byte, i) => byte !== [0, 0xab, 0xff][i])).toBe(true);
  });

  it("K10: the backend gets copies, which are changed once the call settled; the caller's arrays are not", async () => {
    const { repository, received } = recordingRepository(bytes(7));
    const resource = bytes(1, 2);
    const version = bytes(3);
    await ownershipCheckedRepository(repository).storeResourceVersion(resource, version);
    expect(resource).toEqual(bytes(1, 2));
    expect(version).toEqual(bytes(3));
    expect(received[0]).not.toBe(resource);
    expect(received[0]).not.toEqual(bytes(1, 2));
    expect(received[1]).not.toEqual(bytes(3));
  });

  it("K10: returned arrays and the arrays of a conflict reach the caller as copies; the backend's own are changed", async () => {
    const kept = bytes(7, 7);
    const { repository } = recordingRepository(kept);
    const checked = ownershipCheckedRepository(repository);
    expect(await checked.resourceVersion(bytes(1))).toEqual(bytes(7, 7));
    expect(kept).not.toEqual(bytes(7, 7));

    const kept2 = bytes(8);
    const conflicts: VersionConflict[] = [];
    const second = ownershipCheckedRepository(recordingRepository(kept2).repository);
    expect(await second.updateResourceVersion(bytes(1), bytes(2), bytes(3), { onConflict: (conflict) => conflicts.push(conflict) })).toBe(false);
    expect(conflicts).toEqual([{ resource: bytes(1), expectedVersion: bytes(2), storedVersion: bytes(8) }]);
    expect(kept2).not.toEqual(bytes(8));
  });

  it("K10: arguments that are not arrays pass unchanged, and a rejection is the backend's own", async () => {
    const { repository, received } = recordingRepository(bytes());
    const checked = ownershipCheckedRepository(repository);
    await checked.resourceVersion("resource-1" as unknown as Uint8Array);
    expect(received).toEqual(["resource-1"]);
    await expect(checked.deleteResource(bytes(1))).rejects.toThrow("refused");
  });

  it("K10: a handler's batch gets copies of the resource and versions, and the stored version of its conflict reaches the caller as a copy", async () => {
    const received: Uint8Array[] = [];
    const kept = bytes(9);
    const handler = {
      handleEventBatch: async (resource: Uint8Array, deliveries: readonly BatchDelivery<ProbeEvent>[]) => {
        received.push(resource, ...deliveries.flatMap((d) => [d.current, d.next].filter((v): v is Uint8Array => v instanceof Uint8Array)));
        return { applied: 0, requests: 1, stopped: { index: 0, reason: "conflict" as const, storedVersion: kept } };
      },
    } as unknown as ProjectionMessageHandler<ProbeEvent>;
    const deliveries = [{ current: bytes(1), next: bytes(2), event: probeEvent("l", "e"), scope: createEventScope() }];
    const result = await ownershipCheckedHandler(handler).handleEventBatch?.(bytes(5), deliveries);
    expect(result?.stopped).toEqual({ index: 0, reason: "conflict", storedVersion: bytes(9) });
    expect(kept).not.toEqual(bytes(9));
    expect(deliveries[0]?.current).toEqual(bytes(1));
    expect(received).toHaveLength(3);
    expect(received.map((array) => [...array])).not.toContainEqual([5]);
    expect(ownershipCheckedHandler({ ...handler, handleEventBatch: undefined } as unknown as ProjectionMessageHandler<ProbeEvent>).handleEventBatch).toBeUndefined();
  });
});
