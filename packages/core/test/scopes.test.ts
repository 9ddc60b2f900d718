import { describe, expect, it } from "vitest";
import { createCompactScope, createEventScope } from "@projectionkit/core";

describe("scopes", () => {
  it("an event scope carries recordedAt, isPrimaryDelivery and forwards log calls", () => {
    const lines: unknown[][] = [];
    const recordedAt = new Date("2026-01-02T03:04:05Z");
    const scope = createEventScope({ recordedAt, isPrimaryDelivery: false, logger: (...args) => lines.push(args) });
    scope.log("applied %s", "e1");
    expect(scope.recordedAt).toBe(recordedAt);
    expect(scope.isPrimaryDelivery).toBe(false);
    expect(lines).toEqual([["applied %s", "e1"]]);
  });

  it("an event scope defaults to primary delivery recorded now", () => {
    const before = Date.now();
    const scope = createEventScope();
    expect(scope.isPrimaryDelivery).toBe(true);
    expect(scope.recordedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(() => scope.log("ignored")).not.toThrow();
  });

  it("a compact scope reads the given clock on every call", () => {
    let tick = 0;
    const scope = createCompactScope({ now: () => new Date(++tick) });
    expect(scope.now().getTime()).toBe(1);
    expect(scope.now().getTime()).toBe(2);
  });
});
