import fc from "fast-check";
import { bytesKey, concatBytes, filledBytes, relationsBetween, swapLetterCase, withByteChanged, withLetterAt, type ByteRelation } from "./byte-domain.js";

/** Bytes that break text and C-string handling, more often than uniform bytes would. */
const SPECIAL_BYTES = [0x00, 0xff, 0xfe, 0x80, 0xc3, 0x20, 0x2f] as const;

/** One byte: often a special byte or an ASCII letter, sometimes any. */
const byteArbitrary: fc.Arbitrary<number> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_BYTES) },
  { weight: 2, arbitrary: fc.oneof(fc.integer({ min: 0x41, max: 0x5a }), fc.integer({ min: 0x61, max: 0x7a })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xff }) },
);

/** A length from 1 to `max`: mostly short, often 8, sometimes hundreds, sometimes exactly `max`. */
function lengthArbitrary(max: number): fc.Arbitrary<number> {
  const choices: Array<fc.WeightedArbitrary<number>> = [{ weight: 4, arbitrary: fc.integer({ min: 1, max: Math.min(8, max) }) }];
  if (max >= 8) {
    choices.push({ weight: 2, arbitrary: fc.constant(8) });
  }
  if (max > 8) {
    choices.push({ weight: 2, arbitrary: fc.integer({ min: 9, max: Math.min(64, max) }) });
  }
  if (max > 64) {
    choices.push({ weight: 1, arbitrary: fc.integer({ min: 65, max }) });
  }
  choices.push({ weight: 1, arbitrary: fc.constant(max) });
  return fc.oneof(...choices);
}

/**
 * Non-empty byte strings up to `max` bytes, of any length in that range (K9): zero bytes, 0xFF,
 * bytes that are not UTF-8, ASCII letters, anywhere.
 *
 * @param max - the longest.
 * @returns the arbitrary.
 *
 * @example
 * ```ts
 * fc.sample(bytesArbitrary(2011), 3);
 * ```
 */
export function bytesArbitrary(max: number): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(fc.array(byteArbitrary, { minLength: 1, maxLength: 12 }), lengthArbitrary(max), fc.array(byteArbitrary, { minLength: 1, maxLength: 4 }))
    .map(([head, length, pattern]) => filledBytes(head, length, pattern));
}

/** How one member of a family is made from an earlier one. */
type DerivationKind = "append-zero" | "prefix" | "extend" | "one-byte" | "last-byte" | "letter-case";

interface Derivation {
  readonly kind: DerivationKind;
  /** Which earlier member, modulo their number. */
  readonly from: number;
  readonly position: number;
  readonly byte: number;
  readonly tail: readonly number[];
}

function derivationArbitrary(weights: Readonly<Record<DerivationKind, number>>): fc.Arbitrary<Derivation> {
  const kinds = Object.entries(weights)
    .filter(([, weight]) => weight > 0)
    .map(([kind, weight]) => ({ weight, arbitrary: fc.constant(kind as DerivationKind) }));
  return fc.record({
    kind: fc.oneof(...kinds),
    from: fc.nat(),
    position: fc.nat(),
    byte: byteArbitrary,
    tail: fc.array(byteArbitrary, { minLength: 1, maxLength: 4 }),
  });
}

function derive(source: Uint8Array, derivation: Derivation, max: number): Uint8Array[] {
  const { kind, position, byte, tail } = derivation;
  const room = max - source.length;
  switch (kind) {
    case "append-zero":
      return room > 0 ? [concatBytes(source, [0])] : [withByteChanged(source, source.length - 1, 0)];
    case "prefix":
      return source.length > 1 ? [source.slice(0, 1 + (position % (source.length - 1)))] : [concatBytes(source, [0])];
    case "extend":
      return room > 0 ? [concatBytes(source, tail.slice(0, room))] : [withByteChanged(source, source.length - 1, byte)];
    case "one-byte":
      return [withByteChanged(source, position, byte)];
    case "last-byte":
      return [withByteChanged(source, source.length - 1, byte)];
    case "letter-case":
      return [withLetterAt(source, position), swapLetterCase(source, position)];
  }
}

function family(base: Uint8Array, derivations: readonly Derivation[], max: number): Uint8Array[] {
  const members = [base];
  for (const derivation of derivations) {
    const source = members[derivation.from % members.length] ?? base;
    members.push(...derive(source, derivation, max));
  }
  const seen = new Set<string>();
  return members.filter((member) => {
    const key = bytesKey(member);
    if (member.length === 0 || seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}

const RESOURCE_DERIVATIONS: Readonly<Record<DerivationKind, number>> = {
  "append-zero": 4,
  prefix: 1,
  extend: 1,
  "one-byte": 1,
  "last-byte": 3,
  "letter-case": 4,
};

const VERSION_DERIVATIONS: Readonly<Record<DerivationKind, number>> = {
  "append-zero": 3,
  prefix: 2,
  extend: 1,
  "one-byte": 1,
  "last-byte": 2,
  "letter-case": 0,
};

/**
 * The resources of one generated case (K9): a resource of arbitrary bytes up to `max` bytes and
 * resources made from it that differ from an earlier one in one byte, in the last byte, in letter
 * case only, by trailing zero bytes, or as a prefix or an extension. Backends that key resources
 * by C strings, by case-folded or decoded text, or by a cut-off prefix mix them up.
 *
 * @param max - the longest resource.
 * @param derived - how many derivations, at least and at most (a letter-case derivation adds two).
 * @returns 2 or more distinct non-empty resources.
 *
 * @example
 * ```ts
 * fc.sample(resourceFamilyArbitrary(2011), 1);
 * ```
 */
export function resourceFamilyArbitrary(max: number, derived: { readonly min: number; readonly max: number } = { min: 3, max: 3 }): fc.Arbitrary<Uint8Array[]> {
  return fc
    .tuple(bytesArbitrary(max), fc.array(derivationArbitrary(RESOURCE_DERIVATIONS), { minLength: derived.min, maxLength: derived.max }))
    .map(([base, derivations]) => family(base, derivations, max))
    .filter((members) => members.length >= 2);
}

/**
 * The versions of one generated case (K9): a non-empty version of any length up to `max` bytes,
 * and versions made from it with trailing zero bytes, as a prefix, or different in one byte or
 * the last, plus the one-byte and two-byte zero versions. Loose comparisons (trailing zeros
 * ignored, by length, by a numeric value) confuse them.
 *
 * @param max - the longest version.
 * @returns distinct non-empty versions.
 *
 * @example
 * ```ts
 * fc.sample(versionPoolArbitrary(4096), 1);
 * ```
 */
export function versionPoolArbitrary(max: number): fc.Arbitrary<Uint8Array[]> {
  return fc
    .tuple(bytesArbitrary(max), fc.array(derivationArbitrary(VERSION_DERIVATIONS), { minLength: 2, maxLength: 4 }), fc.subarray([Uint8Array.of(0), Uint8Array.of(0, 0)]))
    .map(([base, derivations, zeros]) => family(base, [...derivations], max).concat(zeros))
    .map((members) => members.filter((member, i) => members.findIndex((other) => bytesKey(other) === bytesKey(member)) === i));
}

/**
 * The relations (see {@link ByteRelation}) found between any two of `members`: what a generated
 * case can tell apart.
 *
 * @param members - byte strings.
 * @returns the relations that hold between at least one pair.
 *
 * @example
 * ```ts
 * relationsWithin([Uint8Array.of(1), Uint8Array.of(1, 0)]); // Set { "prefix", "trailing-zero" }
 * ```
 */
export function relationsWithin(members: readonly Uint8Array[]): Set<ByteRelation> {
  const found = new Set<ByteRelation>();
  for (let i = 0; i < members.length; i++) {
    for (let j = i + 1; j < members.length; j++) {
      for (const relation of relationsBetween(members[i] as Uint8Array, members[j] as Uint8Array)) {
        found.add(relation);
      }
    }
  }
  return found;
}
