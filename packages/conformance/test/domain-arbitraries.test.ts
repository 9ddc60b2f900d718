import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BYTE_RELATIONS, relationsBetween, type ByteRelation } from "../src/byte-domain.js";
import { relationsWithin, resourceFamilyArbitrary, versionPoolArbitrary } from "../src/domain-arbitraries.js";

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

/** The share of generated cases in which each relation holds between at least one pair. */
function shares(arbitrary: fc.Arbitrary<Uint8Array[]>, cases: number): Record<ByteRelation, number> {
  const counts = Object.fromEntries(BYTE_RELATIONS.map((relation) => [relation, 0])) as Record<ByteRelation, number>;
  for (const members of fc.sample(arbitrary, { seed: 20_261_126, numRuns: cases })) {
    for (const relation of relationsWithin(members)) {
      counts[relation] += 1 / cases;
    }
  }
  return counts;
}

function percentages(measured: Record<string, number>): string {
  return Object.entries(measured)
    .map(([relation, share]) => `${relation} ${Math.round(share * 100)} %`)
    .join(", ");
}

describe("K9: the byte domain", () => {
  it("K9: relations between byte strings are told apart", () => {
    expect(relationsBetween(bytes(0x61), bytes(0x41))).toEqual(["one-byte", "last-byte", "letter-case"]);
    expect(relationsBetween(bytes(1, 2), bytes(1, 2, 0, 0))).toEqual(["prefix", "trailing-zero"]);
    expect(relationsBetween(bytes(1, 2), bytes(1, 2, 3))).toEqual(["prefix"]);
    expect(relationsBetween(bytes(1, 2, 3), bytes(9, 2, 3))).toEqual(["one-byte"]);
    expect(relationsBetween(bytes(0x61, 0x62), bytes(0x41, 0x42))).toEqual(["letter-case"]);
    expect(relationsBetween(bytes(0x40), bytes(0x60))).toEqual(["one-byte", "last-byte"]);
    expect(relationsBetween(bytes(1, 2), bytes(1, 2))).toEqual([]);
    expect(relationsBetween(bytes(1, 2), bytes(3, 4, 5))).toEqual([]);
  });

  it("K9: most generated cases hold resources that differ only by a prefix, one byte, the last byte, letter case or a trailing zero byte", () => {
    const measured = shares(resourceFamilyArbitrary(2011), 2000);
    console.log(`resources, share of cases with such a pair: ${percentages(measured)}`);
    for (const relation of BYTE_RELATIONS) {
      expect(measured[relation], relation).toBeGreaterThan(0.5);
    }
  });

  it("K9: most generated cases hold versions that differ only by a prefix, a trailing zero byte, one byte or the last byte", () => {
    const measured = shares(versionPoolArbitrary(4096), 2000);
    console.log(`versions, share of cases with such a pair: ${percentages(measured)}`);
    for (const relation of ["prefix", "trailing-zero", "one-byte", "last-byte"] as const) {
      expect(measured[relation], relation).toBeGreaterThan(0.5);
    }
  });

  it("K9: generated resources and versions are distinct, non-empty, within the maximum, and reach it", () => {
    const families = fc.sample(resourceFamilyArbitrary(300), { seed: 1, numRuns: 500 });
    const pools = fc.sample(versionPoolArbitrary(40), { seed: 1, numRuns: 500 });
    for (const members of [...families, ...pools]) {
      const keys = members.map((member) => Buffer.from(member).toString("hex"));
      expect(new Set(keys).size).toBe(members.length);
      expect(members.every((member) => member.length > 0)).toBe(true);
    }
    expect(Math.max(...families.flat().map((member) => member.length))).toBe(300);
    expect(Math.max(...pools.flat().map((member) => member.length))).toBe(40);
    expect(families.flat().some((member) => member.includes(0) && member.includes(0xff))).toBe(true);
  });
});
