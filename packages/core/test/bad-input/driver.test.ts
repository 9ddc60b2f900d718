import { DeliveryDriver, type DeliveryDriverOptions, type SourceEvent } from "@projectionkit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectRefusedBeforeIO, startDynamoTarget, type DynamoTarget, type RowEvent } from "./dynalite-target.js";

// Bad input to the DeliveryDriver over a DynamoDB projection on dynalite: each case is refused with
// a typed error naming the argument, before any request, and no table changes (E1, E2).

let target: DynamoTarget;

beforeAll(async () => {
  target = await startDynamoTarget();
});

afterAll(async () => {
  await target?.stop();
});

let ids = 0;
/** A well-formed source event of a stream no other case uses. */
function good(): SourceEvent<RowEvent> {
  ids++;
  return { stream: `good-${ids}`, offset: 0, event: { type: "Row", id: `good-${ids}` } };
}

const noop = (): void => {};

describe("E2: driver options (the constructor)", () => {
  const cases: Array<[string, unknown, string]> = [
    ["a misspelt concurrency", { concurency: 4 }, "options.concurency"],
    ["a misspelt maxBatchSize", { maxBatchsize: 10 }, "options.maxBatchsize"],
    ["maxBatchSize 0", { maxBatchSize: 0 }, "options.maxBatchSize"],
    ["maxBatchSize 2.5", { maxBatchSize: 2.5 }, "options.maxBatchSize"],
    ['maxBatchSize "25"', { maxBatchSize: "25" }, "options.maxBatchSize"],
    ["concurrency -1", { concurrency: -1 }, "options.concurrency"],
    ["concurrency Infinity", { concurrency: Number.POSITIVE_INFINITY }, "options.concurrency"],
    ["a misspelt retry key", { retry: { maxAttempt: 3 } }, "options.retry.maxAttempt"],
    ["retry.maxAttempts 0", { retry: { maxAttempts: 0 } }, "options.retry.maxAttempts"],
    ["retry.baseDelayMs -5", { retry: { baseDelayMs: -5 } }, "options.retry.baseDelayMs"],
    ["retry.maxDelayMs NaN", { retry: { maxDelayMs: Number.NaN } }, "options.retry.maxDelayMs"],
    ["retry.maxConflicts 1.5", { retry: { maxConflicts: 1.5 } }, "options.retry.maxConflicts"],
    ["retry a number", { retry: 5 }, "options.retry"],
    ["attemptTimeoutMs -1", { attemptTimeoutMs: -1 }, "options.attemptTimeoutMs"],
    ['attemptTimeoutMs "100"', { attemptTimeoutMs: "100" }, "options.attemptTimeoutMs"],
    ["isRetryable not a function", { isRetryable: true }, "options.isRetryable"],
    ["a misspelt hook", { hooks: { onOutcom: noop } }, "options.hooks.onOutcom"],
    ["a hook that is not a function", { hooks: { onRetry: "log" } }, "options.hooks.onRetry"],
    ["random a number", { random: 0.5 }, "options.random"],
    ["options a string", "fast", "options"],
  ];
  it.each(cases)("%s: ERR_INVALID_ARGUMENT naming it; no request, nothing written", async (_label, options, argument) => {
    const error = await expectRefusedBeforeIO(target, () => new DeliveryDriver(target.projection, options as DeliveryDriverOptions<RowEvent>), {
      code: "ERR_INVALID_ARGUMENT",
      argument,
    });
    if (typeof options === "object" && JSON.stringify(options).includes('"25"')) {
      expect((error as Error).message).toContain('the string "25"');
    }
  });

  it.each([
    ["not a projection", {}, "handler"],
    ["handleEventBatch that is not a function", "batch", "handler.handleEventBatch"],
  ] as const)("a handler %s: ERR_INVALID_ARGUMENT naming it; no request, nothing written", async (_label, handler, argument) => {
    const bad = handler === "batch" ? { ...bound(target), handleEventBatch: 1 } : handler;
    await expectRefusedBeforeIO(target, () => new DeliveryDriver(bad as never), { code: "ERR_INVALID_ARGUMENT", argument });
  });
});

/** The projection's methods, bound, as a plain object that a test can change. */
function bound(t: DynamoTarget): Record<string, unknown> {
  const p = t.projection;
  return {
    configure: p.configure.bind(p),
    handleEvent: p.handleEvent.bind(p),
    resourceVersion: p.resourceVersion.bind(p),
    closeResource: p.closeResource.bind(p),
    timeoutHint: p.timeoutHint.bind(p),
    compact: p.compact.bind(p),
  };
}

describe("E2: per-call options of deliver and deliverAll", () => {
  const signal = new AbortController().signal;
  const cases: Array<[string, (driver: DeliveryDriver<RowEvent>) => Promise<unknown>, string]> = [
    ["deliver with { sigal }", (driver) => driver.deliver(good(), { sigal: signal } as never), "options.sigal"],
    ["deliverAll with { sigal }", (driver) => driver.deliverAll([good()], { sigal: signal } as never), "options.sigal"],
    ["deliverAll with { timeout }", (driver) => driver.deliverAll([good()], { timeout: 5 } as never), "options.timeout"],
    ['deliverAll with { signal: "abort" }', (driver) => driver.deliverAll([good()], { signal: "abort" } as never), "options.signal"],
    ["deliverAll with options 5", (driver) => driver.deliverAll([good()], 5 as never), "options"],
    ["deliverAll of a string", (driver) => driver.deliverAll("events" as never), "sources"],
  ];
  it.each(cases)("%s: ERR_INVALID_ARGUMENT naming it; no request, nothing written", async (_label, call, argument) => {
    const driver = new DeliveryDriver(target.projection);
    await expectRefusedBeforeIO(target, () => call(driver), { code: "ERR_INVALID_ARGUMENT", argument });
  });
});

describe("E2: a bad source in a batch names sources[i], and nothing of the batch is delivered", () => {
  const event: RowEvent = { type: "Row", id: "bad" };
  const cases: Array<[string, string, string, unknown, RegExp?]> = [
    ["null", "ERR_INVALID_ARGUMENT", "sources[1]", null],
    ["without an event", "ERR_INVALID_ARGUMENT", "sources[1].event", { stream: "s", offset: 0 }],
    ["a numeric stream", "ERR_INVALID_ARGUMENT", "sources[1].stream", { stream: 42, offset: 0, event }],
    ["an empty stream", "ERR_INVALID_RESOURCE", "sources[1].stream", { stream: "", offset: 0, event }],
    ["offset -1", "ERR_INVALID_ARGUMENT", "sources[1].offset", { stream: "s", offset: -1, event }, /got -1/],
    ["offset 1.5", "ERR_INVALID_ARGUMENT", "sources[1].offset", { stream: "s", offset: 1.5, event }],
    ['offset "4"', "ERR_INVALID_ARGUMENT", "sources[1].offset", { stream: "s", offset: "4", event }, /got the string "4"/],
    ["offset NaN", "ERR_INVALID_ARGUMENT", "sources[1].offset", { stream: "s", offset: Number.NaN, event }],
    ["an unsafe offset", "ERR_INVALID_ARGUMENT", "sources[1].offset", { stream: "s", offset: Number.MAX_SAFE_INTEGER + 2, event }],
    ["both offset and sequence", "ERR_INVALID_ARGUMENT", "sources[1]", { stream: "s", offset: 0, sequence: "1", event }],
    ["neither offset nor sequence", "ERR_INVALID_ARGUMENT", "sources[1]", { stream: "s", event }],
    ['sequence "12a"', "ERR_INVALID_ARGUMENT", "sources[1].sequence", { stream: "s", sequence: "12a", event }],
    ['sequence "007"', "ERR_INVALID_ARGUMENT", "sources[1].sequence", { stream: "s", sequence: "007", event }],
    ["sequence -1n", "ERR_INVALID_ARGUMENT", "sources[1].sequence", { stream: "s", sequence: -1n, event }],
    ["sequence 12 (a number)", "ERR_INVALID_ARGUMENT", "sources[1].sequence", { stream: "s", sequence: 12, event }, /got 12/],
    ["a sequence of 700 digits", "ERR_INVALID_ARGUMENT", "sources[1].sequence", { stream: "s", sequence: "9".repeat(700), event }, /255 bytes/],
  ];
  it.each(cases)("a source %s: %s naming %s; the good source before it is not delivered either", async (_label, code, argument, source, message) => {
    const driver = new DeliveryDriver(target.projection);
    const error = await expectRefusedBeforeIO(target, () => driver.deliverAll([good(), source as SourceEvent<RowEvent>]), { code: code as never, argument });
    if (message !== undefined) {
      expect((error as Error).message).toMatch(message);
    }
    expect(driver.counts.delivered).toBe(0);
  });

  it("a single bad source of deliver is named source", async () => {
    const driver = new DeliveryDriver(target.projection);
    await expectRefusedBeforeIO(target, () => driver.deliver({ stream: "s", offset: -1, event } as never), { code: "ERR_INVALID_ARGUMENT", argument: "source.offset" });
  });
});

describe("H3 through the driver: an event of an undeclared type fails without a request", () => {
  const other = { type: "Other", id: "x" } as unknown as RowEvent;
  it.each([
    ["at an offset", { stream: "undeclared-offset", offset: 0, event: other }],
    ["at a sequence (no version read first)", { stream: "undeclared-sequence", sequence: "49590338271490256608559692538361571095921575989136588898", event: other }],
  ] as const)("%s: reported failed with ERR_UNEXPECTED_MESSAGE; no request, nothing written", async (_label, source) => {
    const driver = new DeliveryDriver(target.projection);
    await expectRefusedBeforeIO(target, () => driver.deliverAll([source as SourceEvent<RowEvent>]), { code: "ERR_UNEXPECTED_MESSAGE" }, (value) => {
      const { reports } = value as Awaited<ReturnType<DeliveryDriver<RowEvent>["deliverAll"]>>;
      expect(reports.map((report) => report.outcome)).toEqual(["failed"]);
      return reports[0]?.error;
    });
  });
});

describe("H3/G8: a run with an event of an undeclared type in the middle", () => {
  it("the batch stops before it: the event before it applies alone, it fails without a request, the one after is held", async () => {
    const calls: string[] = [];
    const watched = new Proxy(target.projection, {
      get(projection, name, receiver) {
        const value: unknown = Reflect.get(projection, name, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (name === "handleEvent" || name === "handleEventBatch") calls.push(`${String(name)}(${name === "handleEventBatch" ? (args[1] as unknown[]).length : 1})`);
          return (value as (...a: unknown[]) => unknown).apply(projection, args);
        };
      },
    });
    const driver = new DeliveryDriver(watched);
    const stream = `run-${++ids}`;
    target.resetRequests();
    const { reports } = await driver.deliverAll([
      { stream, offset: 0, event: { type: "Row", id: `${stream}#0` } },
      { stream, offset: 1, event: { type: "Other", id: `${stream}#1` } as unknown as RowEvent },
      { stream, offset: 2, event: { type: "Row", id: `${stream}#2` } },
    ]);
    expect(reports.map((report) => report.outcome)).toEqual(["applied", "failed", "held"]);
    expect(calls).toEqual(["handleEvent(1)"]);
    expect(target.requests()).toEqual(["TransactWriteItemsCommand"]);
    expect(await target.snapshot()).toContain(`${stream}#0`);
    expect(await target.snapshot()).not.toContain(`${stream}#2`);
  });
});
