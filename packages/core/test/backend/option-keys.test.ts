import { describe, expect, it } from "vitest";
import { isProjectionKitError, requireConditionalWriteOptions, requireKnownKeys, requireOperationOptions } from "@projectionkit/core";

function rejection(action: () => unknown): { code?: string; argument?: string; message: string } {
  try {
    action();
  } catch (error) {
    if (isProjectionKitError(error, "ERR_INVALID_ARGUMENT")) {
      return { code: error.code, argument: error.argument, message: error.message };
    }
    throw error;
  }
  throw new Error("expected the action to throw");
}

describe("E2 unknown option keys", () => {
  it("E2: a misspelt signal is refused, naming the key and the option it probably meant", () => {
    const controller = new AbortController();
    const error = rejection(() => requireOperationOptions({ sigal: controller.signal } as never));
    expect(error.argument).toBe("options.sigal");
    expect(error.message).toContain('did you mean "signal"?');
  });

  it("E2: conditional writes accept onConflict, plain operations do not", () => {
    const onConflict = () => {};
    expect(requireConditionalWriteOptions({ onConflict }).onConflict).toBe(onConflict);
    expect(rejection(() => requireOperationOptions({ onConflict } as never)).argument).toBe("options.onConflict");
    expect(rejection(() => requireConditionalWriteOptions({ onConflit: onConflict } as never)).message).toContain('did you mean "onConflict"?');
  });

  it("E2: a key far from every known one gets no suggestion, and a long key is cut in the message", () => {
    const far = rejection(() => requireKnownKeys({ retries: 3 }, "options", ["signal", "onRequest"]));
    expect(far.argument).toBe("options.retries");
    expect(far.message).not.toContain("did you mean");
    expect(far.message).toContain("expected one of signal, onRequest");
    const long = "x".repeat(300);
    const cut = rejection(() => requireKnownKeys({ [long]: 1 }, "options", ["signal"]));
    expect(cut.argument?.length).toBeLessThan(60);
    expect(cut.message).not.toContain(long);
  });

  it("E2: a key that differs only in case is suggested; absent options pass; a non-object is refused by type", () => {
    expect(rejection(() => requireKnownKeys({ Signal: 1 }, "options", ["signal"])).message).toContain('did you mean "signal"?');
    expect(requireKnownKeys(undefined, "options", ["signal"])).toEqual({});
    expect(requireKnownKeys(null, "options", ["signal"])).toEqual({});
    expect(rejection(() => requireKnownKeys("signal", "options", ["signal"])).message).toContain("got string");
    expect(rejection(() => requireKnownKeys([1], "options", ["signal"])).message).toContain("got Array");
  });
});
