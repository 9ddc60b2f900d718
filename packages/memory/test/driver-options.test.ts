import { DeliveryDriver, isProjectionKitError, type SourceEvent } from "@projectionkit/core";
import { memoryProjection } from "@projectionkit/memory";
import { describe, expect, it } from "vitest";
import { spied } from "./driver-spy.js";
import { ledgerHandler, type LedgerEvent } from "./fixtures.js";

const event: LedgerEvent = { type: "Deposited", id: "acc@0", account: "acc", amount: 1 };

/** The error `action` throws or rejects with, which must be a typed ERR_INVALID_ARGUMENT (or `code`). */
async function invalidArgument(action: () => unknown, code: "ERR_INVALID_ARGUMENT" | "ERR_INVALID_RESOURCE" = "ERR_INVALID_ARGUMENT"): Promise<{ argument: string; message: string }> {
  let thrown: unknown;
  try {
    await action();
  } catch (error) {
    thrown = error;
  }
  if (!isProjectionKitError(thrown, code)) {
    throw new Error(`expected ${code}, got ${String(thrown)}`);
  }
  return { argument: thrown.argument, message: thrown.message };
}

describe("E2 DeliveryDriver options", () => {
  it("E2: unknown keys of the driver's options, of retry and of hooks are refused, naming the key and the option it probably meant", async () => {
    const projection = memoryProjection(ledgerHandler());
    const cases: Array<[unknown, string, string | undefined]> = [
      [{ concurency: 4 }, "options.concurency", "concurrency"],
      [{ batching: true }, "options.batching", undefined],
      [{ maxBatchSzie: 10 }, "options.maxBatchSzie", "maxBatchSize"],
      [{ retry: { maxAttempt: 3 } }, "options.retry.maxAttempt", "maxAttempts"],
      [{ retry: { backoff: 3 } }, "options.retry.backoff", undefined],
      [{ hooks: { onOutcomes: () => {} } }, "options.hooks.onOutcome" + "s", "onOutcome"],
      [{ hooks: { onError: () => {} } }, "options.hooks.onError", undefined],
    ];
    for (const [options, argument, suggestion] of cases) {
      const error = await invalidArgument(() => new DeliveryDriver(projection, options as never));
      expect(error.argument, JSON.stringify(options)).toBe(argument);
      if (suggestion === undefined) {
        expect(error.message).not.toContain("did you mean");
      } else {
        expect(error.message).toContain(`did you mean "${suggestion}"?`);
      }
    }
  });

  it("E2: a misspelt signal of deliver or deliverAll is refused before anything is delivered, never a call that cannot be cancelled", async () => {
    const projection = memoryProjection(ledgerHandler());
    const { handler, calls } = spied(projection);
    const driver = new DeliveryDriver(handler);
    const source: SourceEvent<LedgerEvent> = { stream: "acc", offset: 0, event };
    const signal = new AbortController().signal;
    for (const action of [
      () => driver.deliver(source, { sigal: signal } as never),
      () => driver.deliverAll([source], { sigal: signal } as never),
      () => driver.deliverAll([source], { signal, onRequest: () => {} } as never),
    ]) {
      const error = await invalidArgument(action);
      expect(error.argument).toMatch(/^options\.(sigal|onRequest)$/);
    }
    expect((await invalidArgument(() => driver.deliver(source, { sigal: signal } as never))).message).toContain('did you mean "signal"?');
    expect((await invalidArgument(() => driver.deliver(source, { signal: "abort" } as never))).message).toContain("got string");
    expect((await invalidArgument(() => driver.deliver(source, "fast" as never))).argument).toBe("options");
    expect(calls).toEqual({ handleEvent: 0, resourceVersion: 0, batches: [] });
    expect(projection.state.applied).toEqual([]);
  });

  it("E2: a value of the wrong type is described by its type: a string \"4\" is never reported as 4", async () => {
    const projection = memoryProjection(ledgerHandler());
    for (const [options, argument] of [
      [{ concurrency: "4" }, "options.concurrency"],
      [{ maxBatchSize: "100" }, "options.maxBatchSize"],
      [{ attemptTimeoutMs: "5000" }, "options.attemptTimeoutMs"],
      [{ retry: { maxAttempts: "3" } }, "options.retry.maxAttempts"],
      [{ retry: { maxConflicts: "3" } }, "options.retry.maxConflicts"],
      [{ retry: { baseDelayMs: "50" } }, "options.retry.baseDelayMs"],
    ] as const) {
      const error = await invalidArgument(() => new DeliveryDriver(projection, options as never));
      expect(error.argument).toBe(argument);
      expect(error.message).toMatch(/got the string "\d+"/);
    }
    const numeric = await invalidArgument(() => new DeliveryDriver(projection, { maxBatchSize: 0 }));
    expect(numeric).toMatchObject({ argument: "options.maxBatchSize" });
    expect(numeric.message).toContain("got 0");
    for (const [options, argument] of [
      [{ hooks: { onRetry: "log" } }, "options.hooks.onRetry"],
      [{ hooks: "verbose" }, "options.hooks"],
      [{ retry: 3 }, "options.retry"],
      [{ isRetryable: true }, "options.isRetryable"],
    ] as const) {
      expect((await invalidArgument(() => new DeliveryDriver(projection, options as never))).argument).toBe(argument);
    }
    expect((await invalidArgument(() => new DeliveryDriver({ handleEvent: () => true } as never))).argument).toBe("handler");
  });

  it("E2: a bad stream, offset, sequence or event names sources[i] and the field; a long value is cut", async () => {
    const projection = memoryProjection(ledgerHandler());
    const { handler, calls } = spied(projection);
    const driver = new DeliveryDriver(handler);
    const good: SourceEvent<LedgerEvent> = { stream: "acc", offset: 0, event };
    const long = "9".repeat(700);
    const empty = await invalidArgument(() => driver.deliverAll([good, { stream: "", offset: 1, event }]), "ERR_INVALID_RESOURCE");
    expect(empty).toMatchObject({ argument: "sources[1].stream", message: expect.stringContaining("must not be empty") });
    const cases: Array<[unknown, string, RegExp]> = [
      [{ stream: 42, offset: 1, event }, "sources[1].stream", /got 42/],
      [{ stream: "acc", offset: "1", event }, "sources[1].offset", /got the string "1"/],
      [{ stream: "acc", offset: 1.5, event }, "sources[1].offset", /got 1\.5/],
      [{ stream: "acc", sequence: 17, event }, "sources[1].sequence", /got 17/],
      [{ stream: "acc", sequence: "0x11", event }, "sources[1].sequence", /got the string "0x11"/],
      [{ stream: "acc", sequence: long, event }, "sources[1].sequence", /at most 255 bytes/],
      [{ stream: "acc", sequence: `x${long}`, event }, "sources[1].sequence", /…"/],
      [{ stream: "acc", offset: 1 }, "sources[1].event", /got undefined/],
      [{ stream: "acc", offset: 1, sequence: "1", event }, "sources[1]", /exactly one of offset and sequence/],
      [null, "sources[1]", /got null/],
    ];
    for (const [bad, argument, message] of cases) {
      const error = await invalidArgument(() => driver.deliverAll([good, bad as SourceEvent<LedgerEvent>]));
      expect(error.argument, JSON.stringify(bad)?.slice(0, 60)).toBe(argument);
      expect(error.message).toMatch(message);
      expect(error.message.length).toBeLessThan(300);
    }
    expect((await invalidArgument(() => driver.deliver({ stream: "acc", offset: -1, event }))).argument).toBe("source.offset");
    expect((await invalidArgument(() => driver.deliverAll("acc" as never))).argument).toBe("sources");
    expect(calls).toEqual({ handleEvent: 0, resourceVersion: 0, batches: [] });
  });
});
