import { encodeOffset } from "@projectionkit/core";
import { versionKeyPrefix } from "@projectionkit/dynamodb";
import { describe, expect, it } from "vitest";
import { defaultScanSegments, printableText, readVersionEntry, showResource, showVersion, versionEntryJson } from "../src/index.ts";
import { HANDLER } from "./support/fixtures.ts";

const utf8 = new TextEncoder();
const MiB = 1024 * 1024;

describe("how bytes are shown", () => {
  it.each([
    ["acc-1", "acc-1"],
    ["Zürich/Straße", "Zürich/Straße"],
    ["订单-42", "订单-42"],
    ["e\u0301", "e\u0301"], // a combining mark
    ["🧾#1", "🧾#1"],
  ])("printable UTF-8 %j is shown as text", (text, shown) => {
    expect(showResource(utf8.encode(text))).toEqual({ shown, form: "utf-8" });
  });

  it.each([
    ["white space", utf8.encode("my stream"), "6d792073747265616d"],
    ["a tab", utf8.encode("a\tb"), "610962"],
    ["a control character", new Uint8Array([0x61, 0x00]), "6100"],
    ["a zero-width joiner (format character)", utf8.encode("a\u200db"), "61e2808d62"],
    ["invalid UTF-8", new Uint8Array([0xc3, 0x28]), "c328"],
    ["a lone surrogate's encoding", new Uint8Array([0xed, 0xa0, 0x80]), "eda080"],
  ])("a resource with %s is shown as hex", (_label, bytes, hex) => {
    expect(printableText(bytes)).toBeUndefined();
    expect(showResource(bytes)).toEqual({ shown: hex, form: "hex" });
  });

  it("versions: 8 bytes are an offset (all 64 bits), others hex, none empty", () => {
    expect(showVersion(encodeOffset(0))).toEqual({ shown: "0", form: "offset" });
    expect(showVersion(encodeOffset((1n << 64n) - 1n))).toEqual({ shown: "18446744073709551615", form: "offset" });
    expect(showVersion(new Uint8Array([1, 2, 3]))).toEqual({ shown: "010203", form: "hex" });
    expect(showVersion(new Uint8Array(9).fill(1))).toEqual({ shown: "010101010101010101", form: "hex" });
    expect(showVersion(new Uint8Array())).toEqual({ shown: "-", form: "empty" });
  });
});

describe("reading scanned items", () => {
  const prefix = versionKeyPrefix(HANDLER);
  const names = { key: "HandlerAndResource", version: "Version" };
  const key = (text: string) => utf8.encode(text);

  it("takes the resource after the handler key and the space, and only items with that exact prefix", () => {
    const entry = readVersionEntry({ HandlerAndResource: { B: key(`${HANDLER} acc-1`) }, Version: { B: encodeOffset(3) } }, prefix, names);
    expect(entry?.resource).toEqual(key("acc-1"));
    expect(entry?.version).toEqual(encodeOffset(3));
    expect(readVersionEntry({ HandlerAndResource: { B: key(`${HANDLER}0 acc-1`) } }, prefix, names)).toBeUndefined();
    expect(readVersionEntry({ HandlerAndResource: { B: key(HANDLER) } }, prefix, names)).toBeUndefined();
    expect(readVersionEntry({ HandlerAndResource: { S: `${HANDLER} acc-1` } }, prefix, names)).toBeUndefined();
  });

  it("an item without a version has the empty version; a version of another type is malformed, in JSON too", () => {
    const absent = readVersionEntry({ HandlerAndResource: { B: key(`${HANDLER} a`) } }, prefix, names);
    expect(absent).toMatchObject({ version: new Uint8Array(), versionType: undefined });
    const malformed = readVersionEntry({ HandlerAndResource: { B: key(`${HANDLER} a`) }, Version: { S: "7" } }, prefix, names);
    expect(malformed).toMatchObject({ version: new Uint8Array(), versionType: "S" });
    expect(versionEntryJson(malformed!).version).toEqual({ hex: "", base64: "", offset: null, malformedType: "S" });
    expect(versionEntryJson(absent!).version).toEqual({ hex: "", base64: "", offset: null });
  });
});

describe("the default number of scan segments", () => {
  it.each([
    [0, 1],
    [10_000, 1],
    [256 * MiB, 1],
    [256 * MiB + 1, 2],
    [1024 * MiB, 4],
    [100 * 1024 * MiB, 8],
  ])("a table of %i bytes: %i", (bytes, segments) => {
    expect(defaultScanSegments(bytes)).toBe(segments);
  });
});
