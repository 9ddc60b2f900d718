import type { TransactWriteItemsCommandInput } from "@aws-sdk/client-dynamodb";
import { expect, it } from "vitest";
import { createEventScope, encodeOffset, isProjectionKitError, streamEventVersions } from "@projectionkit/core";
import { dynamoProjection, DynamoResourceRepository, type RequestDecorators } from "@projectionkit/dynamodb";
import { describeOnEmulators } from "../support/clients.js";
import { logRequests } from "../support/faults.js";
import { LEDGER_KEY, ledgerHandler, ledgerTables, type LedgerEvent } from "../support/ledger.js";

describeOnEmulators("D11 decorators", (emulator) => {
  const { versions, model } = ledgerTables(emulator, "decorated");
  const scope = createEventScope();
  let counter = 0;

  function decorated(decorators: RequestDecorators) {
    counter++;
    const client = emulator.client();
    const log = logRequests(client);
    return {
      log,
      stream: `decorated-${counter}`,
      projection: dynamoProjection(client, versions, ledgerHandler(model), { decorators }),
      repository: new DynamoResourceRepository(client, LEDGER_KEY, versions, { decorators }),
    };
  }

  const deposit = (id: string, account: string): LedgerEvent => ({ type: "Deposited", id, account, amount: 1 });

  it("D11: each operation's decorators run in order on the built input; later ones see earlier ones' changes", async () => {
    const seen: string[] = [];
    const { projection, repository, log, stream } = decorated({
      transactWriteItems: [
        (input) => {
          seen.push("tx-1");
          input.ReturnConsumedCapacity = "TOTAL";
        },
        (input) => {
          seen.push(`tx-2:${input.ReturnConsumedCapacity}`);
          return { ...input, ReturnItemCollectionMetrics: "SIZE" };
        },
      ],
      getItem: (input) => {
        seen.push(`get:${input.ConsistentRead}`);
      },
      putItem: (input) => {
        seen.push(`put:${input.ConditionExpression === undefined ? "unconditional" : "conditional"}`);
      },
      updateItem: () => {
        seen.push("update");
      },
      deleteItem: () => {
        seen.push("delete");
      },
    });
    const first = streamEventVersions(stream, 0);
    await projection.handleEvent(first.resource, first.current, first.next, scope, deposit(`${stream}-0`, stream));
    const input = log.inputs[0] as TransactWriteItemsCommandInput;
    expect(input.ReturnConsumedCapacity).toBe("TOTAL");
    expect(input.ReturnItemCollectionMetrics).toBe("SIZE");
    const second = streamEventVersions(stream, 1);
    await projection.handleEvent(second.resource, second.current, second.next, scope, { type: "Noted", id: "n" });
    await projection.resourceVersion(first.resource);
    await repository.storeResourceVersion(first.resource, encodeOffset(7));
    await repository.deleteResource(first.resource);
    expect(seen).toEqual(["tx-1", "tx-2:TOTAL", "update", "get:true", "put:unconditional", "delete"]);
  });

  it("D11: a decorator may append actions to a transaction; they are checked against the limits too", async () => {
    const { projection, log, stream } = decorated({
      transactWriteItems: (input) => {
        input.TransactItems?.push({ ConditionCheck: { TableName: model, Key: { pk: { S: "missing" } }, ConditionExpression: "attribute_not_exists(pk)" } });
      },
    });
    const { resource, current, next } = streamEventVersions(stream, 0);
    expect(await projection.handleEvent(resource, current, next, scope, deposit(`${stream}-0`, stream))).toBe(true);
    expect((log.inputs[0] as TransactWriteItemsCommandInput).TransactItems).toHaveLength(4);
  });

  it("D11: a decorator that changes the version check is refused before sending (pitfall GP8)", async () => {
    const breakers: RequestDecorators[] = [
      { transactWriteItems: (input) => void input.TransactItems?.reverse() },
      { transactWriteItems: (input) => void (input.ClientRequestToken = "fixed-token") },
      { transactWriteItems: (input) => void delete input.TransactItems?.[0]?.Put?.ConditionExpression },
      { putItem: (input) => void delete input.ReturnValuesOnConditionCheckFailure },
      { putItem: (input) => void ((input.Item as Record<string, unknown>)["Version"] = { B: new Uint8Array([9]) }) },
    ];
    for (const decorators of breakers) {
      const { projection, log, stream } = decorated(decorators);
      const { resource, current, next } = streamEventVersions(stream, 0);
      const event = decorators.putItem === undefined ? deposit(`${stream}-0`, stream) : ({ type: "Noted", id: "n" } as const);
      const error = await projection.handleEvent(resource, current, next, scope, event).catch((e: unknown) => e);
      expect(isProjectionKitError(error, "ERR_DECORATOR_BROKE_VERSION_CHECK")).toBe(true);
      expect(log.count()).toBe(0);
    }
  });
});
