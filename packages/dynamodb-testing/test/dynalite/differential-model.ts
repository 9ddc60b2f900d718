import type {
  AttributeValue,
  DeleteItemCommandInput,
  PutItemCommandInput,
  TransactGetItemsCommandInput,
  TransactWriteItem,
  TransactWriteItemsCommandInput,
  UpdateItemCommandInput,
} from "@aws-sdk/client-dynamodb";
import fc from "fast-check";
import type { KeyShape } from "./support.js";

// Generated scenarios for the differential test: a few steps (transactions, single-item writes,
// replays of a transaction with its ClientRequestToken, transactional reads) on a tiny key space,
// so that conditions often fail and items often meet.

/** A condition on the item: the building blocks of ConditionExpression. */
export type Condition =
  | { readonly kind: "exists" | "notExists"; readonly attribute: "pk" | "n" | "s" }
  | { readonly kind: "compare"; readonly operator: "=" | "<>" | "<" | "<=" | ">" | ">="; readonly value: number; readonly viaName: boolean }
  | { readonly kind: "beginsWith"; readonly prefix: string }
  | { readonly kind: "and" | "or"; readonly left: Condition; readonly right: Condition }
  | { readonly kind: "not"; readonly inner: Condition };

/** One clause per attribute of an UpdateExpression. */
export interface UpdateSpec {
  readonly n?:
    | { readonly op: "set"; readonly value: number }
    | { readonly op: "plus"; readonly delta: number }
    | { readonly op: "ifNotExistsPlus"; readonly delta: number }
    | { readonly op: "add"; readonly delta: number };
  readonly s?: { readonly op: "set"; readonly value: string } | { readonly op: "remove" } | { readonly op: "addNumber" };
  readonly tags?: { readonly op: "add" | "delete"; readonly values: readonly string[] };
}

/** The attributes a Put writes besides the key. */
export interface PutAttributes {
  readonly n?: number;
  readonly s?: string;
  readonly tags?: readonly string[];
}

/** One action of a generated transaction (or the body of a single-item write). */
export type ActionSpec =
  | { readonly type: "Put"; readonly key: number; readonly attributes: PutAttributes; readonly condition?: Condition | undefined; readonly allOld: boolean }
  | { readonly type: "Update"; readonly key: number; readonly update: UpdateSpec; readonly condition?: Condition | undefined; readonly allOld: boolean }
  | { readonly type: "Delete"; readonly key: number; readonly condition?: Condition | undefined; readonly allOld: boolean }
  | { readonly type: "ConditionCheck"; readonly key: number; readonly condition: Condition; readonly allOld: boolean }
  | { readonly type: "WrongKeyType"; readonly key: number }
  | { readonly type: "MissingTable"; readonly key: number }
  | { readonly type: "TwoOperations"; readonly key: number }
  | { readonly type: "KeyUpdate"; readonly key: number };

/** One step of a scenario. */
export type Step =
  | { readonly kind: "transact"; readonly actions: readonly ActionSpec[]; readonly token?: string }
  | { readonly kind: "single"; readonly action: ActionSpec & { readonly type: "Put" | "Update" | "Delete" } }
  | { readonly kind: "replay"; readonly step: number }
  | { readonly kind: "get"; readonly keys: readonly number[]; readonly projection: boolean; readonly missingTable: boolean };

/** A generated scenario: the table's key schema and the steps. */
export interface Scenario {
  readonly shape: KeyShape;
  readonly steps: readonly Step[];
}

const KEY_SPACE = 4;
const TAGS = ["p", "q", "r"];

const condition: fc.Arbitrary<Condition> = fc.letrec<{ condition: Condition }>((tie) => ({
  condition: fc.oneof(
    { maxDepth: 2, depthIdentifier: "condition" },
    { weight: 4, arbitrary: fc.record({ kind: fc.constantFrom("exists" as const, "notExists" as const), attribute: fc.constantFrom("pk" as const, "n" as const, "s" as const) }) },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant("compare" as const),
        operator: fc.constantFrom("=" as const, "<>" as const, "<" as const, "<=" as const, ">" as const, ">=" as const),
        value: fc.integer({ min: 0, max: 3 }),
        viaName: fc.boolean(),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("beginsWith" as const), prefix: fc.constantFrom("x", "y") }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("and" as const, "or" as const), left: tie("condition"), right: tie("condition") }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("not" as const), inner: tie("condition") }) },
  ),
})).condition;

const maybeCondition = fc.option(condition, { freq: 2, nil: undefined });

const putAttributes: fc.Arbitrary<PutAttributes> = fc.record(
  {
    n: fc.integer({ min: 0, max: 3 }),
    s: fc.constantFrom("x", "xy", "y"),
    tags: fc.uniqueArray(fc.constantFrom(...TAGS), { minLength: 1, maxLength: 2 }),
  },
  { requiredKeys: [] },
);

const updateSpec: fc.Arbitrary<UpdateSpec> = fc
  .record(
    {
      n: fc.oneof(
        fc.record({ op: fc.constant("set" as const), value: fc.integer({ min: 0, max: 3 }) }),
        fc.record({ op: fc.constant("plus" as const), delta: fc.integer({ min: -1, max: 2 }) }),
        fc.record({ op: fc.constant("ifNotExistsPlus" as const), delta: fc.integer({ min: 1, max: 2 }) }),
        fc.record({ op: fc.constant("add" as const), delta: fc.integer({ min: -1, max: 2 }) }),
      ),
      s: fc.oneof(
        { weight: 3, arbitrary: fc.record({ op: fc.constant("set" as const), value: fc.constantFrom("x", "xy", "y") }) },
        { weight: 3, arbitrary: fc.record({ op: fc.constant("remove" as const) }) },
        { weight: 1, arbitrary: fc.record({ op: fc.constant("addNumber" as const) }) },
      ),
      tags: fc.record({ op: fc.constantFrom("add" as const, "delete" as const), values: fc.uniqueArray(fc.constantFrom(...TAGS), { minLength: 1, maxLength: 2 }) }),
    },
    { requiredKeys: [] },
  )
  .filter((spec) => spec.n !== undefined || spec.s !== undefined || spec.tags !== undefined);

const keyIndex = fc.integer({ min: 0, max: KEY_SPACE - 1 });

function validAction(key: number): fc.Arbitrary<ActionSpec> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ type: fc.constant("Put" as const), key: fc.constant(key), attributes: putAttributes, condition: maybeCondition, allOld: fc.boolean() }, { requiredKeys: ["type", "key", "attributes", "allOld"] }) },
    { weight: 3, arbitrary: fc.record({ type: fc.constant("Update" as const), key: fc.constant(key), update: updateSpec, condition: maybeCondition, allOld: fc.boolean() }, { requiredKeys: ["type", "key", "update", "allOld"] }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant("Delete" as const), key: fc.constant(key), condition: maybeCondition, allOld: fc.boolean() }, { requiredKeys: ["type", "key", "allOld"] }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant("ConditionCheck" as const), key: fc.constant(key), condition, allOld: fc.boolean() }) },
  );
}

function anyAction(key: number): fc.Arbitrary<ActionSpec> {
  return fc.oneof(
    { weight: 40, arbitrary: validAction(key) },
    { weight: 1, arbitrary: fc.record({ type: fc.constantFrom("WrongKeyType" as const, "MissingTable" as const, "TwoOperations" as const, "KeyUpdate" as const), key: fc.constant(key) }) },
  );
}

const transactionKeys = fc.oneof(
  // Mostly distinct items, sometimes the same item twice.
  { weight: 16, arbitrary: fc.uniqueArray(keyIndex, { minLength: 1, maxLength: KEY_SPACE }) },
  { weight: 3, arbitrary: fc.array(keyIndex, { minLength: 2, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constant([] as number[]) },
);

const transactStep: fc.Arbitrary<Step> = fc
  .tuple(
    transactionKeys.chain((keys) => fc.tuple(...keys.map((key) => anyAction(key)))),
    fc.option(fc.constantFrom("t1", "t2"), { freq: 3, nil: undefined }),
  )
  .map(([actions, token]) => (token === undefined ? { kind: "transact" as const, actions } : { kind: "transact" as const, actions, token }));

// Besides any valid write, a guarded create with ALL_OLD (the adapter's own kind of request): on
// the tiny key space it often meets an existing item, so the stored item comes back.
const guardedCreate = (key: number) =>
  fc.record({
    type: fc.constant("Put" as const),
    key: fc.constant(key),
    attributes: putAttributes,
    condition: fc.constant<Condition>({ kind: "notExists", attribute: "pk" }),
    allOld: fc.constant(true),
  });

const singleStep: fc.Arbitrary<Step> = keyIndex.chain((key) =>
  fc
    .oneof(
      {
        weight: 4,
        arbitrary: validAction(key).filter((action): action is ActionSpec & { readonly type: "Put" | "Update" | "Delete" } =>
          action.type === "Put" || action.type === "Update" || action.type === "Delete",
        ),
      },
      { weight: 3, arbitrary: guardedCreate(key) },
    )
    .map((action) => ({ kind: "single" as const, action })),
);

const getStep: fc.Arbitrary<Step> = fc.record({
  kind: fc.constant("get" as const),
  keys: fc.oneof({ weight: 5, arbitrary: fc.uniqueArray(keyIndex, { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: fc.array(keyIndex, { minLength: 2, maxLength: 3 }) }),
  projection: fc.boolean(),
  missingTable: fc.integer({ min: 0, max: 7 }).map((roll) => roll === 0),
});

/**
 * Scenarios: a key schema and 1 to 6 steps. A `replay` step repeats an earlier transaction
 * (with its token, if it has one); before the first transaction it does nothing.
 */
export const scenario: fc.Arbitrary<Scenario> = fc.record({
  shape: fc.constantFrom("hash" as const, "composite" as const),
  steps: fc.array(
    fc.oneof(
      { weight: 6, arbitrary: transactStep },
      { weight: 3, arbitrary: singleStep },
      { weight: 1, arbitrary: getStep },
      { weight: 2, arbitrary: fc.nat({ max: 5 }).map((step) => ({ kind: "replay" as const, step })) },
    ),
    { minLength: 1, maxLength: 6 },
  ),
});

/** What the requests of a scenario are built with: the table, and the case's token prefix. */
export interface RequestContext {
  readonly table: string;
  readonly shape: KeyShape;
  readonly tokenPrefix: string;
}

/**
 * The key of item `index` of the key space.
 *
 * @param shape - the key schema.
 * @param index - 0 to 3.
 * @returns the key attributes.
 */
export function keyOf(shape: KeyShape, index: number): Record<string, AttributeValue> {
  if (shape === "hash") {
    return { pk: { S: ["a", "b", "c", "d"][index] ?? "a" } };
  }
  return { pk: { S: index < 2 ? "a" : "b" }, sk: { N: String((index % 2) + 1) } };
}

/** Placeholders and their values, collected while building expressions. */
class Placeholders {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  #next = 0;

  value(value: AttributeValue): string {
    const placeholder = `:v${this.#next}`;
    this.#next += 1;
    this.values[placeholder] = value;
    return placeholder;
  }

  name(name: string): string {
    const placeholder = `#${name}`;
    this.names[placeholder] = name;
    return placeholder;
  }

  expressionFields(): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> } {
    return {
      ...(Object.keys(this.names).length > 0 ? { ExpressionAttributeNames: this.names } : {}),
      ...(Object.keys(this.values).length > 0 ? { ExpressionAttributeValues: this.values } : {}),
    };
  }
}

function conditionExpression(spec: Condition, placeholders: Placeholders): string {
  switch (spec.kind) {
    case "exists":
      return `attribute_exists(${spec.attribute})`;
    case "notExists":
      return `attribute_not_exists(${spec.attribute})`;
    case "compare":
      return `${spec.viaName ? placeholders.name("n") : "n"} ${spec.operator} ${placeholders.value({ N: String(spec.value) })}`;
    case "beginsWith":
      return `begins_with(s, ${placeholders.value({ S: spec.prefix })})`;
    case "and":
    case "or":
      return `(${conditionExpression(spec.left, placeholders)}) ${spec.kind.toUpperCase()} (${conditionExpression(spec.right, placeholders)})`;
    case "not":
      return `NOT (${conditionExpression(spec.inner, placeholders)})`;
  }
}

function updateExpression(spec: UpdateSpec, placeholders: Placeholders): string {
  const set: string[] = [];
  const remove: string[] = [];
  const add: string[] = [];
  const del: string[] = [];
  const n = spec.n;
  if (n?.op === "set") set.push(`n = ${placeholders.value({ N: String(n.value) })}`);
  if (n?.op === "plus") set.push(`n = n + ${placeholders.value({ N: String(n.delta) })}`);
  if (n?.op === "ifNotExistsPlus") set.push(`n = if_not_exists(n, ${placeholders.value({ N: "0" })}) + ${placeholders.value({ N: String(n.delta) })}`);
  if (n?.op === "add") add.push(`n ${placeholders.value({ N: String(n.delta) })}`);
  const s = spec.s;
  if (s?.op === "set") set.push(`s = ${placeholders.value({ S: s.value })}`);
  if (s?.op === "remove") remove.push("s");
  if (s?.op === "addNumber") add.push(`s ${placeholders.value({ N: "1" })}`);
  const tags = spec.tags;
  if (tags !== undefined) (tags.op === "add" ? add : del).push(`tags ${placeholders.value({ SS: [...tags.values] })}`);
  return [
    set.length > 0 ? `SET ${set.join(", ")}` : "",
    remove.length > 0 ? `REMOVE ${remove.join(", ")}` : "",
    add.length > 0 ? `ADD ${add.join(", ")}` : "",
    del.length > 0 ? `DELETE ${del.join(", ")}` : "",
  ]
    .filter((part) => part !== "")
    .join(" ");
}

function putItem(context: RequestContext, key: number, attributes: PutAttributes): Record<string, AttributeValue> {
  return {
    ...keyOf(context.shape, key),
    ...(attributes.n === undefined ? {} : { n: { N: String(attributes.n) } }),
    ...(attributes.s === undefined ? {} : { s: { S: attributes.s } }),
    ...(attributes.tags === undefined ? {} : { tags: { SS: [...attributes.tags] } }),
  };
}

/**
 * The TransactWriteItem for a generated action.
 *
 * @param context - table and key schema.
 * @param spec - the action.
 * @returns the SDK input.
 */
export function transactItem(context: RequestContext, spec: ActionSpec): TransactWriteItem {
  const { table, shape } = context;
  const placeholders = new Placeholders();
  const returnOld = (allOld: boolean) => (allOld ? { ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const } : {});
  switch (spec.type) {
    case "Put": {
      const expression = spec.condition === undefined ? {} : { ConditionExpression: conditionExpression(spec.condition, placeholders) };
      return { Put: { TableName: table, Item: putItem(context, spec.key, spec.attributes), ...expression, ...placeholders.expressionFields(), ...returnOld(spec.allOld) } };
    }
    case "Update": {
      const UpdateExpression = updateExpression(spec.update, placeholders);
      const expression = spec.condition === undefined ? {} : { ConditionExpression: conditionExpression(spec.condition, placeholders) };
      return { Update: { TableName: table, Key: keyOf(shape, spec.key), UpdateExpression, ...expression, ...placeholders.expressionFields(), ...returnOld(spec.allOld) } };
    }
    case "Delete": {
      const expression = spec.condition === undefined ? {} : { ConditionExpression: conditionExpression(spec.condition, placeholders) };
      return { Delete: { TableName: table, Key: keyOf(shape, spec.key), ...expression, ...placeholders.expressionFields(), ...returnOld(spec.allOld) } };
    }
    case "ConditionCheck": {
      const ConditionExpression = conditionExpression(spec.condition, placeholders);
      return { ConditionCheck: { TableName: table, Key: keyOf(shape, spec.key), ConditionExpression, ...placeholders.expressionFields(), ...returnOld(spec.allOld) } };
    }
    case "WrongKeyType":
      return { Delete: { TableName: table, Key: { ...keyOf(shape, spec.key), pk: { N: String(spec.key) } } } };
    case "MissingTable":
      return { Put: { TableName: `${table}-missing`, Item: keyOf(shape, spec.key) } };
    case "TwoOperations":
      return { Put: { TableName: table, Item: keyOf(shape, spec.key) }, Delete: { TableName: table, Key: keyOf(shape, spec.key) } };
    case "KeyUpdate":
      return { Update: { TableName: table, Key: keyOf(shape, spec.key), UpdateExpression: "SET pk = :v", ExpressionAttributeValues: { ":v": { S: "moved" } } } };
  }
}

/**
 * The TransactWriteItems input of a transaction step.
 *
 * @param context - table, key schema, token prefix.
 * @param step - the step.
 * @returns the SDK input.
 */
export function transactInput(context: RequestContext, step: Step & { readonly kind: "transact" }): TransactWriteItemsCommandInput {
  return {
    TransactItems: step.actions.map((action) => transactItem(context, action)),
    ...(step.token === undefined ? {} : { ClientRequestToken: `${context.tokenPrefix}-${step.token}` }),
  };
}

/**
 * The single-item request of a single step.
 *
 * @param context - table and key schema.
 * @param step - the step.
 * @returns the operation and its SDK input.
 */
export function singleInput(
  context: RequestContext,
  step: Step & { readonly kind: "single" },
): { readonly operation: "PutItem"; readonly input: PutItemCommandInput } | { readonly operation: "UpdateItem"; readonly input: UpdateItemCommandInput } | { readonly operation: "DeleteItem"; readonly input: DeleteItemCommandInput } {
  const item = transactItem(context, step.action);
  if (item.Put !== undefined) {
    return { operation: "PutItem", input: item.Put };
  }
  if (item.Update !== undefined) {
    return { operation: "UpdateItem", input: item.Update as UpdateItemCommandInput };
  }
  return { operation: "DeleteItem", input: item.Delete as DeleteItemCommandInput };
}

/**
 * The TransactGetItems input of a get step.
 *
 * @param context - table and key schema.
 * @param step - the step.
 * @returns the SDK input.
 */
export function getInput(context: RequestContext, step: Step & { readonly kind: "get" }): TransactGetItemsCommandInput {
  return {
    TransactItems: step.keys.map((key) => ({
      Get: {
        TableName: step.missingTable ? `${context.table}-missing` : context.table,
        Key: keyOf(context.shape, key),
        ...(step.projection ? { ProjectionExpression: "#n, tags", ExpressionAttributeNames: { "#n": "n" } } : {}),
      },
    })),
  };
}
