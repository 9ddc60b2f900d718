import { describe, expect, it } from "vitest";
import {
  isProjectionKitError,
  readProjectionConfiguration,
  requireHandledEvent,
  validateIdentity,
  type Configurable,
  type ProjectionConfigurer,
} from "@projectionkit/core";

const KEY = "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11";

type Event = { type: "Opened" } | { type: "Closed" };

function handler(configure: (c: ProjectionConfigurer<Event>) => void): Configurable<Event> {
  return { configure };
}

function configurationError(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    expect(isProjectionKitError(error, "ERR_INVALID_CONFIGURATION")).toBe(true);
    return error as Error;
  }
  throw new Error("expected ERR_INVALID_CONFIGURATION");
}

describe("identity", () => {
  it.each(["a", "account-balances", "Kontostände", "x".repeat(255), "😀".repeat(255), "a/b:c"])(
    "accepts the name %j",
    (name) => {
      expect(validateIdentity({ name, key: KEY }).name).toBe(name);
    },
  );

  it.each(["", "has space", "tab\there", "new\nline", "x".repeat(256), "\u0000", "nbsp\u00a0x"])(
    "rejects the name %j",
    (name) => {
      expect(() => validateIdentity({ name, key: KEY })).toThrow(
        expect.objectContaining({ code: "ERR_INVALID_IDENTITY", field: "name" }),
      );
    },
  );

  it("E2: a 300-character name is not echoed whole: a 40-character prefix and its length", () => {
    const name = `n${"x".repeat(299)}`;
    const error = (() => {
      try {
        validateIdentity({ name, key: KEY });
      } catch (caught) {
        return caught as Error;
      }
      throw new Error("expected ERR_INVALID_IDENTITY");
    })();
    expect(error.message).not.toContain(name);
    expect(error.message).toContain(`"${name.slice(0, 40)}"… (300 characters)`);
    expect((error as { value?: unknown }).value).toBe(name);
  });

  it.each([KEY, KEY.toUpperCase(), "00000000-0000-0000-0000-000000000000"])("accepts the key %s", (key) => {
    expect(validateIdentity({ name: "p", key }).key).toBe(key);
  });

  it.each(["", "<key>", KEY.replaceAll("-", ""), `${KEY}0`, `{${KEY}}`, "0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c1g"])(
    "rejects the key %j",
    (key) => {
      expect(() => validateIdentity({ name: "p", key })).toThrow(
        expect.objectContaining({ code: "ERR_INVALID_IDENTITY", field: "key" }),
      );
    },
  );
});

describe("H1 configuration", () => {
  it("H1: reads the identity and the event types in declaration order", () => {
    const configuration = readProjectionConfiguration(
      handler((c) => {
        c.identity("balances", KEY);
        c.handlesEvents("Opened");
        c.handlesEvents("Closed");
      }),
    );
    expect(configuration.identity).toEqual({ name: "balances", key: KEY });
    expect([...configuration.eventTypes]).toEqual(["Opened", "Closed"]);
  });

  it("H1: configure is called more than once and must give the same answer each time", () => {
    let calls = 0;
    const error = configurationError(() =>
      readProjectionConfiguration(
        handler((c) => {
          calls++;
          c.identity("balances", KEY);
          c.handlesEvents(calls === 1 ? "Opened" : "Closed");
        }),
      ),
    );
    expect(calls).toBe(2);
    expect(error.message).toMatch(/same answer/);
  });

  it("H1: no identity, two identities, no event types and a duplicate event type are errors", () => {
    configurationError(() => readProjectionConfiguration(handler((c) => c.handlesEvents("Opened"))));
    configurationError(() =>
      readProjectionConfiguration(
        handler((c) => {
          c.identity("a", KEY);
          c.identity("b", KEY);
          c.handlesEvents("Opened");
        }),
      ),
    );
    configurationError(() => readProjectionConfiguration(handler((c) => c.identity("a", KEY))));
    configurationError(() =>
      readProjectionConfiguration(
        handler((c) => {
          c.identity("a", KEY);
          c.handlesEvents("Opened", "Opened");
        }),
      ),
    );
  });

  it("H1: a malformed identity is a configuration error caused by an identity error", () => {
    const error = configurationError(() =>
      readProjectionConfiguration(
        handler((c) => {
          c.identity("bad name", KEY);
          c.handlesEvents("Opened");
        }),
      ),
    );
    expect(isProjectionKitError(error.cause, "ERR_INVALID_IDENTITY")).toBe(true);
  });

  it("H3: requireHandledEvent rejects undeclared types with UnexpectedMessageError", () => {
    const configuration = readProjectionConfiguration(
      handler((c) => {
        c.identity("balances", KEY);
        c.handlesEvents("Opened");
      }),
    );
    expect(requireHandledEvent(configuration, { type: "Opened" })).toEqual({ type: "Opened" });
    expect(() => requireHandledEvent(configuration, { type: "Closed" })).toThrow(
      expect.objectContaining({ code: "ERR_UNEXPECTED_MESSAGE", eventType: "Closed", handlerName: "balances" }),
    );
    expect(() => requireHandledEvent(configuration, null as never)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", argument: "event" }),
    );
  });
});
