import { describe, expect, it } from "vitest";
import {
  ArgumentError,
  InvalidArgumentError,
  InvalidResourceError,
  InvalidVersionError,
  isProjectionKitError,
  isRetryableError,
  ProjectionKitError,
  requireConditionalWriteOptions,
  requireOperationOptions,
  requireResource,
  requireVersion,
  UnexpectedMessageError,
} from "@projectionkit/core";
import { thrown } from "../../../test/support/rejection.js";

describe("E1 errors", () => {
  it("E1: every error has a stable code, a name, a cause and is recognised by the guard", () => {
    const cause = new Error("root");
    const error = new InvalidResourceError("resource", "empty", { cause });
    expect(error.code).toBe("ERR_INVALID_RESOURCE");
    expect(InvalidResourceError.code).toBe("ERR_INVALID_RESOURCE");
    expect(error.name).toBe("InvalidResourceError");
    expect(error.cause).toBe(cause);
    expect(error.argument).toBe("resource");
    expect(error.retryable).toBe(false);
    expect(error).toBeInstanceOf(Error);
    expect(isProjectionKitError(error)).toBe(true);
    expect(isProjectionKitError(error, "ERR_INVALID_RESOURCE")).toBe(true);
    expect(isProjectionKitError(error, "ERR_INVALID_VERSION")).toBe(false);
    expect(isRetryableError(error)).toBe(false);
  });

  it("E1: the guards reject foreign errors and non-errors", () => {
    const lookalike = Object.assign(new Error("x"), { code: "ERR_INVALID_RESOURCE" });
    for (const value of [lookalike, undefined, null, "ERR_INVALID_RESOURCE", 42]) {
      expect(isProjectionKitError(value)).toBe(false);
      expect(isRetryableError(value)).toBe(false);
    }
    expect(lookalike instanceof InvalidResourceError).toBe(false);
  });

  it("E1: instanceof matches by class, and ArgumentError matches every argument error", () => {
    const resourceError = new InvalidResourceError("resource", "empty");
    const versionError = new InvalidVersionError("current", "bad");
    expect(resourceError instanceof InvalidResourceError).toBe(true);
    expect(resourceError instanceof InvalidVersionError).toBe(false);
    expect(resourceError instanceof ArgumentError).toBe(true);
    expect(versionError instanceof ArgumentError).toBe(true);
    expect(resourceError instanceof ProjectionKitError).toBe(true);
    expect(new UnexpectedMessageError("p", "T") instanceof ArgumentError).toBe(false);
  });

  it("E1: a retryable error is recognised by isRetryableError", () => {
    class FlakyError extends ProjectionKitError {
      override readonly code = "ERR_INVALID_ARGUMENT" as const;
    }
    expect(isRetryableError(new FlakyError("flaky", { retryable: true }))).toBe(true);
    expect(isRetryableError(new FlakyError("flaky"))).toBe(false);
  });

  it("E1: a resource that is not a Uint8Array, or is empty, is rejected naming the argument", () => {
    for (const value of [undefined, null, "abc", [1, 2], new Uint16Array(2), new Uint8Array(0)]) {
      const error = thrown(() => requireResource(value, "r"));
      expect(isProjectionKitError(error, "ERR_INVALID_RESOURCE")).toBe(true);
      expect((error as InvalidResourceError).argument).toBe("r");
    }
    const buffer = Buffer.from("ok");
    expect(requireResource(buffer)).toBe(buffer);
  });

  it("E1: a version that is neither absent nor a Uint8Array is rejected; absent becomes empty", () => {
    for (const value of ["v1", 1, {}, new Int8Array(1)]) {
      const error = thrown(() => requireVersion(value, "next"));
      expect(isProjectionKitError(error, "ERR_INVALID_VERSION")).toBe(true);
      expect((error as InvalidVersionError).argument).toBe("next");
    }
    expect(requireVersion(undefined).length).toBe(0);
    expect(requireVersion(null).length).toBe(0);
  });

  it("E1: malformed options are rejected, and an aborted signal throws its reason", () => {
    const badSignal = thrown(() => requireOperationOptions({ signal: "soon" as never }));
    expect(isProjectionKitError(badSignal, "ERR_INVALID_ARGUMENT")).toBe(true);
    expect((badSignal as InvalidArgumentError).argument).toBe("options.signal");

    const badCallback = thrown(() => requireConditionalWriteOptions({ onConflict: 3 as never }));
    expect((badCallback as InvalidArgumentError).argument).toBe("options.onConflict");

    const badCost = thrown(() => requireOperationOptions({ onRequest: "log" as never }));
    expect(isProjectionKitError(badCost, "ERR_INVALID_ARGUMENT")).toBe(true);
    expect((badCost as InvalidArgumentError).argument).toBe("options.onRequest");

    const reason = new Error("stop");
    expect(thrown(() => requireOperationOptions({ signal: AbortSignal.abort(reason) }))).toBe(reason);
    expect(requireOperationOptions(undefined)).toEqual({});
  });
});
