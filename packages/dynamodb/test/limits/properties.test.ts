import type { AttributeValue, TransactWriteItem } from "@aws-sdk/client-dynamodb";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isProjectionKitError } from "@projectionkit/core";
import { attributeValueSize, itemSize, transactActionSize } from "../../src/item-size.js";
import { actionItemIdentity, TransactionBudget, type BudgetFailureReason, type TransactionContext } from "../../src/transaction-limits.js";
import { context, VERSION_KEY, versionAction } from "./fixtures.js";

const REASON_CODES: Record<BudgetFailureReason, string> = {
  "too-many-actions": "ERR_TOO_MANY_ACTIONS",
  "too-large": "ERR_TRANSACTION_TOO_LARGE",
  "duplicate-item": "ERR_DUPLICATE_ITEM",
  "version-item": "ERR_VERSION_ITEM_TOUCHED",
  "item-too-large": "ERR_ITEM_TOO_LARGE",
  "key-too-large": "ERR_KEY_TOO_LARGE",
};

const scalar: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.string({ unit: "binary" }).map((S) => ({ S })),
  fc.uint8Array({ maxLength: 20 }).map((B) => ({ B })),
  fc.boolean().map((BOOL) => ({ BOOL })),
  fc.constant({ NULL: true }),
  fc.integer().map((n) => ({ N: String(n) })),
);

const value: fc.Arbitrary<AttributeValue> = fc.letrec<{ value: AttributeValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 4 }).map((L) => ({ L })),
    fc.dictionary(fc.string(), tie("value"), { maxKeys: 4 }).map((M) => ({ M })),
  ),
})).value;

const attributes = fc.dictionary(fc.string({ unit: "binary", minLength: 1 }), value, { maxKeys: 5 });

/** The guide's approximation of a number's size from its significant digits. */
const documentedNumberSize = (digits: string) => Math.ceil(digits.length / 2) + 1;

/**
 * A reference for the exact number size, from a plain decimal text: pad the integer part on the
 * left and the fraction on the right to whole pairs, drop zero pairs at both ends, count the pairs,
 * add 1, and 1 more when negative.
 */
function referenceNumberSize(negative: boolean, integer: string, fraction: string): number {
  const left = integer.length % 2 === 0 ? integer : `0${integer}`;
  const right = fraction.length % 2 === 0 ? fraction : `${fraction}0`;
  const pairs = (left + right).match(/../g) ?? [];
  while (pairs[0] === "00") pairs.shift();
  while (pairs.at(-1) === "00") pairs.pop();
  return pairs.length === 0 ? 1 : pairs.length + 1 + (negative ? 1 : 0);
}

describe("D9 properties: sizes", () => {
  it("D9: an item's size is additive over its attributes (name bytes + value size)", () => {
    fc.assert(
      fc.property(attributes, attributes, (a, b) => {
        const disjoint = Object.fromEntries(Object.entries(b).filter(([name]) => !Object.hasOwn(a, name)));
        expect(itemSize({ ...a, ...disjoint })).toBe(itemSize(a) + itemSize(disjoint));
        expect(itemSize(a)).toBe(Object.entries(a).reduce((sum, [name, v]) => sum + Buffer.byteLength(name) + attributeValueSize(v), 0));
      }),
    );
  });

  it("D9: a list or map is 3 bytes plus, per element, 1 byte plus its size (and its name in a map)", () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 6 }), attributes, (list, map) => {
        expect(attributeValueSize({ L: list })).toBe(3 + list.reduce((sum, v) => sum + 1 + attributeValueSize(v), 0));
        expect(attributeValueSize({ M: map })).toBe(3 + itemSize(map) + Object.keys(map).length);
      }),
    );
  });

  it("D9: a number's size is its base-100 digits aligned on the point, plus 1, plus 1 if negative, whatever its notation", () => {
    const digitString = fc.string({ unit: fc.constantFrom(..."0123456789"), maxLength: 20 });
    fc.assert(
      fc.property(
        fc.boolean(),
        digitString,
        digitString,
        fc.nat(3),
        fc.nat(3),
        fc.integer({ min: -6, max: 6 }),
        (negative, integer, fraction, zerosLeft, zerosRight, shift) => {
          const whole = integer || "0";
          const expected = referenceNumberSize(negative && /[1-9]/.test(whole + fraction), whole, fraction);
          const sign = negative ? "-" : "";
          const plain = `${sign}${"0".repeat(zerosLeft)}${whole}${fraction === "" ? "" : `.${fraction}${"0".repeat(zerosRight)}`}`;
          expect(attributeValueSize({ N: plain })).toBe(expected);
          // The same value in scientific notation: the point moved left by `shift`, times 10^shift.
          const digits = whole + fraction;
          const at = whole.length - shift;
          const mantissa =
            at <= 0 ? `0.${"0".repeat(-at)}${digits}` : at >= digits.length ? `${digits}${"0".repeat(at - digits.length)}` : `${digits.slice(0, at)}.${digits.slice(at)}`;
          expect(attributeValueSize({ N: `${sign}${mantissa}E${shift}` })).toBe(expected);
          // Never smaller than the guide's approximation.
          const significant = digits.replace(/^0+/, "").replace(/0+$/, "");
          expect(expected).toBeGreaterThanOrEqual(significant === "" ? 1 : documentedNumberSize(significant));
        },
      ),
    );
  });
});

describe("D9 properties: identities", () => {
  const keyValue: fc.Arbitrary<AttributeValue> = fc.oneof(
    fc.string({ minLength: 1 }).map((S) => ({ S })),
    fc.integer().map((n) => ({ N: String(n) })),
    fc.uint8Array({ minLength: 1, maxLength: 8 }).map((B) => ({ B })),
  );
  const key = fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), keyValue, { minKeys: 1, maxKeys: 3 });

  it("D9: an identity does not depend on the order of the key attributes, nor on the action or a Put's extra attributes", () => {
    fc.assert(
      fc.property(key, fc.string(), attributes, fc.func(fc.integer()), (k, table, extra, order) => {
        const names = Object.keys(k);
        const shuffled = Object.fromEntries([...Object.entries(k)].sort(([a], [b]) => order(a) - order(b) || (a < b ? -1 : 1)));
        const identity = actionItemIdentity({ Delete: { TableName: table, Key: k } });
        expect(identity).toBeTypeOf("string");
        expect(actionItemIdentity({ ConditionCheck: { TableName: table, Key: shuffled, ConditionExpression: "attribute_exists(x)" } })).toBe(identity);
        const item = { ...extra, ...k };
        expect(actionItemIdentity({ Put: { TableName: table, Item: item } }, { [table]: [...names].reverse() })).toBe(identity);
      }),
    );
  });

  // Names and values made of separators and quotes, so that a naive join would collide.
  const tricky = fc.string({ unit: fc.constantFrom("|", ":", ",", '"', "\\", "a", "S", "N", "\u0000", "[", "]", " "), maxLength: 6 });
  const trickyKey = fc.dictionary(
    tricky.filter((name) => name.length > 0),
    fc.oneof(tricky.map((S) => ({ S })), fc.integer({ min: -3, max: 3 }).map((n) => ({ N: String(n) }))),
    { minKeys: 1, maxKeys: 3 },
  );

  it("D9: two keys have the same identity exactly when they are the same key", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), tricky), fc.oneof(key, trickyKey), fc.oneof(fc.string(), tricky), fc.oneof(key, trickyKey), (t1, k1, t2, k2) => {
        const same =
          t1 === t2 &&
          JSON.stringify(Object.keys(k1).sort()) === JSON.stringify(Object.keys(k2).sort()) &&
          Object.keys(k1).every((name) => canonical(k1[name]) === canonical(k2[name]));
        expect(actionItemIdentity({ Delete: { TableName: t1, Key: k1 } }) === actionItemIdentity({ Delete: { TableName: t2, Key: k2 } })).toBe(same);
      }),
    );
  });
});

/** A reference form of a key value: type plus value (integers only, so the text is canonical). */
function canonical(v: AttributeValue | undefined): string {
  if (v?.B !== undefined) return `B${Buffer.from(v.B).toString("hex")}`;
  if (v?.N !== undefined) return `N${BigInt(v.N)}`;
  return `S${v?.S}`;
}

describe("D9/D10 properties: the budget", () => {
  // A small world so that duplicates, the version item and the limits are all met often.
  const TABLES = ["Versions", "A", "B"] as const;
  const KEYS = ["k1", "k2", "k3", "k4"];
  const keyOf = (table: string, k: string): Record<string, AttributeValue> =>
    table === "Versions" ? { HandlerAndResource: { B: k === "k1" ? VERSION_KEY : new TextEncoder().encode(k) } } : { pk: { S: k } };
  const action: fc.Arbitrary<TransactWriteItem> = fc
    .tuple(fc.constantFrom(...TABLES), fc.constantFrom(...KEYS), fc.constantFrom("Put", "Update", "Delete", "ConditionCheck"), fc.nat(300))
    .map(([table, k, kind, padding]) => {
      const key = keyOf(table, k);
      const pad = { ":p": { S: "x".repeat(padding) } };
      switch (kind) {
        case "Put":
          return { Put: { TableName: table, Item: { ...key, p: { S: "x".repeat(padding) } } } };
        case "Update":
          return { Update: { TableName: table, Key: key, UpdateExpression: "SET p = :p", ExpressionAttributeValues: pad } };
        case "Delete":
          return { Delete: { TableName: table, Key: key, ConditionExpression: "p <> :p", ExpressionAttributeValues: pad } };
        default:
          return { ConditionCheck: { TableName: table, Key: key, ConditionExpression: "p <> :p", ExpressionAttributeValues: pad } };
      }
    });
  const limits = fc.record({ maxActions: fc.integer({ min: 1, max: 8 }), maxBytes: fc.integer({ min: 300, max: 2000 }) });
  const batches = fc.array(fc.array(action, { maxLength: 5 }), { maxLength: 6 });
  const withSchemas = fc.boolean().map((declared): TransactionContext => (declared ? { ...context, keySchemas: { A: ["pk"], B: ["pk"] } } : context));

  it("D9: add succeeds exactly when check says it fits, and a failed add changes nothing", () => {
    fc.assert(
      fc.property(withSchemas, limits, batches, (ctx, lim, list) => {
        const budget = new TransactionBudget(ctx, versionAction, lim);
        for (const items of list) {
          const before = { actions: budget.actions, bytes: budget.bytes };
          const result = budget.check(items);
          expect({ actions: budget.actions, bytes: budget.bytes }).toEqual(before);
          let error: unknown;
          try {
            budget.add(items);
          } catch (caught) {
            error = caught;
          }
          if (result.fits) {
            expect(error).toBeUndefined();
            expect(budget.actions).toBe(before.actions + items.length);
            expect(budget.bytes).toBe(items.reduce((sum, item) => sum + transactActionSize(item), before.bytes));
          } else {
            expect(isProjectionKitError(error, REASON_CODES[result.reason] as "ERR_DUPLICATE_ITEM")).toBe(true);
            expect((error as { index?: number }).index).toBe(result.index);
            expect({ actions: budget.actions, bytes: budget.bytes }).toEqual(before);
          }
          expect(budget.actions).toBeLessThanOrEqual(lim.maxActions);
          expect(budget.bytes).toBeLessThanOrEqual(lim.maxBytes);
        }
      }),
    );
  });

  it("D9: the failing index is the first action that does not fit: the items before it fit", () => {
    fc.assert(
      fc.property(withSchemas, limits, fc.array(action, { maxLength: 4 }), fc.array(action, { maxLength: 10 }), (ctx, lim, earlier, items) => {
        const budget = new TransactionBudget(ctx, versionAction, lim);
        if (!budget.check(earlier).fits) return;
        budget.add(earlier);
        const result = budget.check(items);
        if (result.fits) {
          for (let i = 0; i <= items.length; i++) expect(budget.check(items.slice(0, i)).fits).toBe(true);
        } else {
          expect(budget.check(items.slice(0, result.index))).toEqual({ fits: true });
          expect(budget.check(items.slice(0, result.index + 1))).toEqual(result);
        }
      }),
    );
  });

  it("D9/D14: with declared key schemas, items fit exactly when a reference model of the four rules says so", () => {
    const declared: TransactionContext = { ...context, keySchemas: { A: ["pk"], B: ["pk"] } };
    const identity = (item: TransactWriteItem) => {
      const body = item.Put ?? item.Update ?? item.Delete ?? item.ConditionCheck;
      const key = item.Put === undefined ? (item.Update ?? item.Delete ?? item.ConditionCheck)?.Key : Object.fromEntries(Object.entries(item.Put.Item ?? {}).filter(([n]) => n !== "p"));
      return `${body?.TableName}/${JSON.stringify(key, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v))}`;
    };
    fc.assert(
      fc.property(limits, fc.array(action, { maxLength: 10 }), (lim, items) => {
        const ids = items.map(identity);
        const bytes = items.reduce((sum, item) => sum + transactActionSize(item), transactActionSize(versionAction));
        // D14: no action on the version table at all, whatever the key.
        const onVersionTable = items.some((item) => (item.Put ?? item.Update ?? item.Delete ?? item.ConditionCheck)?.TableName === "Versions");
        const expected = 1 + items.length <= lim.maxActions && bytes <= lim.maxBytes && new Set(ids).size === ids.length && !onVersionTable;
        expect(new TransactionBudget(declared, versionAction, lim).check(items).fits).toBe(expected);
      }),
    );
  });
});
