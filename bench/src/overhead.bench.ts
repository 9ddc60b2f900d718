// P1: what dynamoProjection(...).handleEvent costs against the same write done by hand, in the same
// run. The event has one Update (a balance); the hand-written baseline is a conditional
// TransactWriteItems of the same two actions, with the same condition, ClientRequestToken and
// ALL_OLD (support/balance-projection.ts).
//
// Two measurements, each in interleaved rounds (the two cases alternate which goes first; the
// ratio of each round is taken between figures seconds apart, and the median and spread of the
// ratios are reported):
//
// - end to end, wall clock, on each emulator: sequential events on one client;
// - client side only, CPU time: the same calls on a client whose HTTP handler answers at once with
//   a canned `{}` (the SDK still builds, signs and parses every request). This isolates our CPU
//   cost from the emulator's noise: µs per event of ours, of the baseline, and the difference.
//
//   npm run build && npm run --workspace=@projectionkit/bench bench:overhead
import { Readable } from "node:stream";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createEventScope, streamEventVersions } from "@projectionkit/core";
import { dynamoProjection, versionItemKey } from "@projectionkit/dynamodb";
import { depositHandler, handWrittenEvent, HANDLER_KEY } from "./support/balance-projection.ts";
import { createUserTable, createVersionTable, onEachEmulator } from "./support/emulators.ts";
import { describeRun, loadAverage, sized } from "./support/run-environment.ts";
import { median, ratioWithSpread } from "./support/statistics.ts";

const ROUNDS = sized(Number(process.env["OVERHEAD_BENCH_ROUNDS"] ?? 61), 2);
const WARMUP_ROUNDS = sized(3, 1);
const EVENTS_PER_ROUND = sized(Number(process.env["OVERHEAD_BENCH_EVENTS"] ?? 30), 5);
const CLIENT_EVENTS_PER_ROUND = sized(Number(process.env["OVERHEAD_BENCH_CLIENT_EVENTS"] ?? 500), 20);

/**
 * The figures of one measurement.
 *
 * @example
 * ```ts
 * const figures: OverheadFigures[] = await runOverheadBench();
 * ```
 */
export interface OverheadFigures {
  /** Where: an emulator, or "client side (canned responses)". */
  readonly where: string;
  /** The median per-event cost of each case over the rounds: ms of wall clock, or µs of CPU. */
  readonly ours: number;
  readonly handWritten: number;
  readonly unit: "ms wall" | "µs CPU";
  /** Ours ÷ hand-written, round by round. */
  readonly ratios: readonly number[];
  readonly loadAverage: number;
}

type Case = () => Promise<void>;

/** Runs `a` and `b` in interleaved rounds; returns each round's measure of each. */
async function interleave(a: Case, b: Case, measure: (run: Case) => Promise<number>): Promise<{ a: number[]; b: number[] }> {
  const result = { a: [] as number[], b: [] as number[] };
  for (let round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
    const order: Array<["a" | "b", Case]> = round % 2 === 0 ? [["a", a], ["b", b]] : [["b", b], ["a", a]];
    for (const [name, run] of order) {
      const value = await measure(run);
      if (round >= 0) result[name].push(value);
    }
  }
  return result;
}

const wallMs = async (run: Case): Promise<number> => {
  const began = performance.now();
  await run();
  return performance.now() - began;
};

const cpuMicros = async (run: Case): Promise<number> => {
  const began = process.cpuUsage();
  await run();
  const used = process.cpuUsage(began);
  return used.user + used.system;
};

/** The two cases on one client: `events` events each, on streams of their own. */
function cases(client: DynamoDBClient, versionTable: string, balanceTable: string, events: number): { ours: Case; handWritten: Case } {
  const projection = dynamoProjection(client, versionTable, depositHandler(balanceTable, "balance"));
  const scope = createEventScope();
  let oursOffset = 0;
  let handOffset = 0;
  const handKey = versionItemKey(HANDLER_KEY, new TextEncoder().encode("hand-written"));
  return {
    ours: async () => {
      for (let i = 0; i < events; i++) {
        const { resource, current, next } = streamEventVersions("ours", oursOffset++);
        if (!(await projection.handleEvent(resource, current, next, scope, { type: "Deposited", account: "ours", amount: 1, id: "" }))) {
          throw new Error("an event of ours was not applied");
        }
      }
    },
    handWritten: async () => {
      for (let i = 0; i < events; i++) {
        const { current, next } = streamEventVersions("hand-written", handOffset++);
        await handWrittenEvent(client, versionTable, handKey, current, next, balanceTable, "hand-written", 1);
      }
    },
  };
}

/** A client whose HTTP handler answers every request at once with `{}`: no network, no emulator. */
function cannedClient(): DynamoDBClient {
  return new DynamoDBClient({
    region: "us-east-1",
    endpoint: "http://127.0.0.1:1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
    maxAttempts: 1,
    requestHandler: {
      handle: async () => ({
        response: {
          statusCode: 200,
          reason: "OK",
          headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "bench" },
          body: Readable.from([Buffer.from("{}")]),
        },
      }),
    } as never,
  });
}

/**
 * Runs P1 and returns its figures: one per emulator (end to end) and one client side.
 *
 * @example
 * ```ts
 * printOverhead(await runOverheadBench());
 * ```
 */
export async function runOverheadBench(): Promise<OverheadFigures[]> {
  const figures: OverheadFigures[] = [];
  for (const { emulator, result } of await onEachEmulator(async ({ client, name }) => {
    const { ours, handWritten } = cases(client, await createVersionTable(client), await createUserTable(client, "Balances"), EVENTS_PER_ROUND);
    const rounds = await interleave(ours, handWritten, wallMs);
    return { rounds, load: loadAverage(), name };
  })) {
    figures.push({
      where: emulator,
      ours: median(result.rounds.a) / EVENTS_PER_ROUND,
      handWritten: median(result.rounds.b) / EVENTS_PER_ROUND,
      unit: "ms wall",
      ratios: result.rounds.a.map((a, i) => a / (result.rounds.b[i] as number)),
      loadAverage: result.load,
    });
  }
  const canned = cannedClient();
  const { ours, handWritten } = cases(canned, "Versions", "Balances", CLIENT_EVENTS_PER_ROUND);
  const rounds = await interleave(ours, handWritten, cpuMicros);
  canned.destroy();
  figures.push({
    where: "client side (canned responses)",
    ours: median(rounds.a) / CLIENT_EVENTS_PER_ROUND,
    handWritten: median(rounds.b) / CLIENT_EVENTS_PER_ROUND,
    unit: "µs CPU",
    ratios: rounds.a.map((a, i) => a / (rounds.b[i] as number)),
    loadAverage: loadAverage(),
  });
  return figures;
}

/**
 * Prints P1's table.
 *
 * @example
 * ```ts
 * printOverhead(await runOverheadBench());
 * ```
 */
export function printOverhead(figures: readonly OverheadFigures[]): void {
  console.log(`\nP1 overhead: dynamoProjection.handleEvent (one Update) vs a hand-written conditional TransactWriteItems`);
  console.log(`${ROUNDS} interleaved rounds after ${WARMUP_ROUNDS} warm-up; ${EVENTS_PER_ROUND} events per case and round end to end, ${CLIENT_EVENTS_PER_ROUND} client side`);
  console.log("| where | unit | hand-written per event | ours per event | ours − hand-written | ratio of the medians | ratio per round: median (min–max) | load avg |");
  console.log("|---|---|---:|---:|---:|---:|---:|---:|");
  for (const f of figures) {
    const digits = f.unit === "ms wall" ? 3 : 0;
    console.log(
      `| ${f.where} | ${f.unit} | ${f.handWritten.toFixed(digits)} | ${f.ours.toFixed(digits)} | ${(f.ours - f.handWritten).toFixed(digits)} | ${(f.ours / f.handWritten).toFixed(3)}× | ${ratioWithSpread(f.ratios, 3)} | ${f.loadAverage.toFixed(1)} |`,
    );
  }
}

if (import.meta.main) {
  console.log(describeRun());
  printOverhead(await runOverheadBench());
}
