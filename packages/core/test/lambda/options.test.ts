import {
  DeliveryDriver,
  dynamoDBStreamsHandler,
  InvalidArgumentError,
  isProjectionKitError,
  kinesisStreamHandler,
  sqsFifoHandler,
  type ProjectionMessageHandler,
} from "@projectionkit/core";
import { describe, expect, it } from "vitest";
import { memoryProjection } from "@projectionkit/memory";
import { ledger, ledgerHandler, type LedgerEvent } from "./fixtures.js";

const factories = { dynamoDBStreamsHandler, kinesisStreamHandler, sqsFifoHandler } as unknown as Record<
  string,
  (driver: unknown, options: unknown) => unknown
>;

const toEvent = () => undefined;

const badOptions: Array<[string, unknown]> = [
  ["options", null],
  ["options", "toEvent"],
  ["options.toEvent", {}],
  ["options.toEvent", { toEvent: "JSON.parse" }],
  ["options.streamOf", { toEvent, streamOf: "MessageGroupId" }],
  ["options.onFailure", { toEvent, onFailure: true }],
  ["options.safetyMarginMs", { toEvent, safetyMarginMs: -1 }],
  ["options.safetyMarginMs", { toEvent, safetyMarginMs: Number.NaN }],
  ["options.safetyMarginMs", { toEvent, safetyMarginMs: Number.POSITIVE_INFINITY }],
  ["options.safetyMarginMs", { toEvent, safetyMarginMs: "1000" }],
  ["options.safetyMargin", { toEvent, safetyMargin: 1000 }],
  ["options.onFailures", { toEvent, onFailures: () => {} }],
  ["options.maxBatchSize", { toEvent, maxBatchSize: 10 }],
  ["options", ["toEvent"]],
];

/** Wraps the projection so that any call of it is seen. */
function watched(inner: ProjectionMessageHandler<LedgerEvent>) {
  const calls: string[] = [];
  const handler = new Proxy(inner, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      return typeof value === "function"
        ? (...args: unknown[]) => {
            calls.push(String(name));
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          }
        : value;
    },
  });
  return { handler, calls };
}

describe("G5 handler options", () => {
  for (const [name, factory] of Object.entries(factories)) {
    it(`G5/E2: ${name} rejects bad and unknown options with a typed InvalidArgumentError naming them, before any I/O`, async () => {
      const projection = memoryProjection(ledgerHandler());
      const { handler, calls } = watched(projection);
      const driver = new DeliveryDriver(handler);
      // The driver reads the handler's declarations (configure, no I/O) once, when it is made.
      expect(calls.every((call) => call === "configure")).toBe(true);
      calls.splice(0);
      for (const [argument, options] of badOptions) {
        let thrown: unknown;
        try {
          factory(driver, options);
        } catch (error) {
          thrown = error;
        }
        expect(thrown, `${argument}: ${String(options)}`).toBeInstanceOf(InvalidArgumentError);
        expect(isProjectionKitError(thrown, "ERR_INVALID_ARGUMENT")).toBe(true);
        expect((thrown as InvalidArgumentError).argument).toBe(argument);
      }
      for (const driverValue of [undefined, null, {}, { deliverAll: 1 }]) {
        expect(() => factory(driverValue, { toEvent })).toThrow(
          expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument: "driver" }),
        );
      }
      expect(calls).toEqual([]);
      expect(projection.state.applied).toEqual([]);
    });
  }

  it("E2: an unknown option of a Lambda handler names the key and the option it probably meant; a wrong type is told by its type", () => {
    const { driver } = ledger();
    for (const factory of Object.values(factories)) {
      const misspelt = (() => {
        try {
          factory(driver, { toEvent, safetyMargin: 500 });
        } catch (error) {
          return error as InvalidArgumentError;
        }
        return undefined;
      })();
      expect(misspelt?.message).toContain('did you mean "safetyMarginMs"?');
      expect(() => factory(driver, { toEvent, safetyMarginMs: "1000" })).toThrow(/got the string "1000"/);
    }
  });

  it("G5: good options are accepted; the margin may be 0", () => {
    const { driver } = ledger();
    expect(typeof sqsFifoHandler(driver, { toEvent, safetyMarginMs: 0, streamOf: (r) => r.attributes.MessageGroupId ?? "", onFailure: () => {} })).toBe("function");
  });

  it("G5: an onFailure that throws does not change the response", async () => {
    const { driver } = ledger();
    const handler = sqsFifoHandler(driver, {
      toEvent: () => {
        throw new Error("unreadable");
      },
      onFailure: () => {
        throw new Error("logger down");
      },
    });
    const record = {
      messageId: "2e1424d4-f796-459a-8184-9c92662be6da",
      body: "{}",
      attributes: { MessageGroupId: "g", SequenceNumber: "1" },
    };
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
  });
});
