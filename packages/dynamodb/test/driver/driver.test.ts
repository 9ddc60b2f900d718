import { resolveConformanceSettings, type FaultKind } from "@projectionkit/conformance";
import { DeliveryDriver, isRetryableError, type SourceEvent } from "@projectionkit/core";
import { createTable, dynamoProjection } from "@projectionkit/dynamodb";
import fc from "fast-check";
import { beforeAll, expect, it } from "vitest";
import { describeOnEmulators, uniqueTableName } from "../support/clients.js";
import { createReadModel, ledgerHandler, readModel, type LedgerEvent } from "../support/ledger.js";
import { dynamoFaultInjector } from "../conformance/probe-backend.js";

const OFFSETS = [0, 1, 2, 3] as const;
const settings = resolveConformanceSettings({ numRuns: 8 });

const delivery = fc.record({
  account: fc.constantFrom("a", "b"),
  offset: fc.constantFrom(...OFFSETS),
  fault: fc.constantFrom<FaultKind | undefined>(undefined, undefined, undefined, "lost-response", "throttling", "before-commit"),
});

describeOnEmulators("G1–G4 DeliveryDriver over the DynamoDB adapter", (emulator) => {
  const setup = emulator.client();
  const versions = uniqueTableName("driver-versions");
  const model = uniqueTableName("driver-model");
  let run = 0;

  beforeAll(async () => {
    await createTable(setup, versions);
    await createReadModel(setup, model);
  });

  it(
    "G1–G4: concurrent workers with duplicates, reordering, gaps filled later and injected faults end with the exact fold; the counts add up",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.array(fc.array(delivery, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }), { minLength: 3, maxLength: 3 }), async (workers) => {
          run++;
          const stream = (account: string): string => `run${run}-${account}`;
          const source = (account: string, offset: number): SourceEvent<LedgerEvent> => ({
            stream: stream(account),
            offset,
            event: { type: "Deposited", id: `${stream(account)}@${offset}`, account: stream(account), amount: 1 },
          });
          let deliveries = 0;
          const drivers = workers.map(() => {
            const client = emulator.client();
            const faults = dynamoFaultInjector(client);
            const driver = new DeliveryDriver(dynamoProjection(client, versions, ledgerHandler(model)), {
              concurrency: 2,
              retry: { maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 5 },
              isRetryable: isRetryableError,
            });
            return { client, faults, driver };
          });
          await Promise.all(
            workers.map(async (batches, index) => {
              const { driver, faults } = drivers[index]!;
              for (const batch of batches) {
                for (const { fault } of batch) {
                  if (fault !== undefined) faults.inject(fault);
                }
                deliveries += batch.length;
                const { reports } = await driver.deliverAll(batch.map(({ account, offset }) => source(account, offset)));
                expect(reports.filter((r) => r.outcome === "failed").map((r) => String(r.error))).toEqual([]);
                faults.reset();
              }
            }),
          );
          // Gaps are filled later: one worker delivers both streams in order.
          const drain = ["a", "b"].flatMap((account) => OFFSETS.map((offset) => source(account, offset)));
          deliveries += drain.length;
          const last = await drivers[0]!.driver.deliverAll(drain);
          expect(last.reports.map((r) => r.outcome).filter((o) => o !== "applied" && o !== "duplicate")).toEqual([]);

          const { events, balances } = await readModel(setup, model);
          for (const account of ["a", "b"]) {
            const ids = events.filter((id) => id.startsWith(`${stream(account)}@`)).sort();
            expect(ids).toEqual(OFFSETS.map((offset) => `${stream(account)}@${offset}`));
            expect(balances[stream(account)]).toBe(OFFSETS.length);
          }
          const total = drivers.map(({ driver }) => driver.counts);
          const sum = (key: keyof (typeof total)[number]): number => total.reduce((n, counts) => n + counts[key], 0);
          expect(sum("delivered")).toBe(deliveries);
          expect(sum("applied") + sum("duplicates") + sum("gaps") + sum("held") + sum("failed") + sum("cancelled")).toBe(deliveries);
          expect(sum("applied")).toBeLessThanOrEqual(2 * OFFSETS.length);
          expect(sum("failed") + sum("cancelled")).toBe(0);
          for (const { client } of drivers) client.destroy();
        }),
        { seed: settings.seed, numRuns: settings.numRuns },
      );
    },
    300_000,
  );
});
