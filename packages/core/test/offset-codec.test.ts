import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareVersions,
  decodeOffset,
  encodeOffset,
  isProjectionKitError,
  nextStreamOffset,
  streamEventVersions,
  versionsEqual,
} from "@projectionkit/core";

const offsets = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

describe("V1 offset codecs", () => {
  it("V1: encodeOffset round-trips through decodeOffset for every 64-bit offset", () => {
    fc.assert(
      fc.property(offsets, (offset) => {
        expect(decodeOffset(encodeOffset(offset))).toBe(offset);
      }),
    );
  });

  it("V1: encodeOffset preserves order: byte order equals numeric order", () => {
    fc.assert(
      fc.property(offsets, offsets, (a, b) => {
        const byBytes = Math.sign(compareVersions(encodeOffset(a), encodeOffset(b)));
        const byNumbers = a < b ? -1 : a > b ? 1 : 0;
        expect(byBytes).toBe(byNumbers);
      }),
    );
  });

  it("V1: numbers and bigints of the same value encode alike", () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (offset) => {
        expect(versionsEqual(encodeOffset(offset), encodeOffset(BigInt(offset)))).toBe(true);
      }),
    );
  });

  it("V1: the encoding is fixed-width big-endian", () => {
    expect([...encodeOffset(0x0102)]).toEqual([0, 0, 0, 0, 0, 0, 1, 2]);
    expect([...encodeOffset((1n << 64n) - 1n)]).toEqual([255, 255, 255, 255, 255, 255, 255, 255]);
  });

  it("V1: no offset is the empty version, and the empty version decodes to undefined", () => {
    expect(encodeOffset(undefined).length).toBe(0);
    expect(decodeOffset(new Uint8Array())).toBeUndefined();
    expect(decodeOffset(undefined)).toBeUndefined();
  });

  it.each([[-1], [1.5], [Number.MAX_SAFE_INTEGER + 1], [Number.NaN], [-1n], [1n << 64n]])(
    "V1: encodeOffset(%s) is an InvalidOffsetError",
    (offset) => {
      expect(() => encodeOffset(offset)).toThrow(expect.objectContaining({ code: "ERR_INVALID_OFFSET", argument: "offset" }));
    },
  );

  it("V1: decodeOffset rejects versions of another width with ERR_INVALID_VERSION", () => {
    for (const length of [1, 7, 9, 16]) {
      let caught: unknown;
      try {
        decodeOffset(new Uint8Array(length));
      } catch (error) {
        caught = error;
      }
      expect(isProjectionKitError(caught, "ERR_INVALID_VERSION")).toBe(true);
    }
  });

  it("V1: decodeOffset reads a view at a non-zero byte offset correctly", () => {
    const backing = new Uint8Array(12);
    backing.set(encodeOffset(77), 3);
    expect(decodeOffset(backing.subarray(3, 11))).toBe(77n);
  });
});

describe("V1 stream event versions", () => {
  it("V1: the first event of a stream goes from the empty version to offset 0", () => {
    const { resource, current, next } = streamEventVersions("account-42", 0);
    expect(new TextDecoder().decode(resource)).toBe("account-42");
    expect(current.length).toBe(0);
    expect(decodeOffset(next)).toBe(0n);
  });

  it("V1: the event at offset o goes from o - 1 to o, and nextStreamOffset resumes after it", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }), (offset) => {
        const { current, next } = streamEventVersions("s", offset);
        expect(decodeOffset(current)).toBe(offset - 1n);
        expect(decodeOffset(next)).toBe(offset);
        expect(nextStreamOffset(current)).toBe(offset);
      }),
    );
    expect(nextStreamOffset(undefined)).toBe(0n);
  });

  it("V1: an empty stream id is an InvalidResourceError", () => {
    expect(() => streamEventVersions("", 0)).toThrow(expect.objectContaining({ code: "ERR_INVALID_RESOURCE", argument: "streamId" }));
  });
});
