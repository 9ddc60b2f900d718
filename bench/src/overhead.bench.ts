// P1: what dynamoProjection(...).handleEvent costs against the same write done by hand, in the same
// run. The event has one Update (a balance); the hand-written baseline is a conditional
// TransactWriteItems of the same two actions, with the same condition, ClientRequestToken and
// ALL_OLD (support/balance-projection.ts). Ours runs twice: with a handler that returns that same
// Update as the baseline builds it (native attribute values: the goal's "same items"), and with
// one that builds it with `documentItem` (what most handlers do; the difference is the cost of
// that convenience's marshalling, not of the adapter).
//
// Two measurements, each in interleaved rounds (the cases rotate which goes first; the ratio of
// each round is taken between figures seconds apart, and the median and spread of the ratios are
// reported):
//
// - end to end, wall clock, on each emulator: sequential events on one client, in rounds of 30
//   events per case and, more finely, in rounds of one event per case (the three cases take turns
//   event by event, so that each ratio compares requests a few milliseconds apart);
// - client side only, CPU time: the same calls on a client whose HTTP handler answers at once with
//   a canned `{}` (the SDK still builds, signs and parses every request). This isolates our CPU
//   cost from the emulator's noise: µs per event of ours, of the baseline, and the difference.
//
//   npm run build && npm run --workspace=@projectionkit/bench bench:overhead
import { Readable } from "node:stream";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createEventScope, streamEventVersions } from "@projectionkit/core";
import { dynamoProjection, versionItemKey } from "@projectionkit/dynamodb";
import { depositHandler, handWrittenEvent, HANDLER_KEY, type ProjectionShape } from "./support/balance-projection.ts";
import { createUserTable, createVersionTable, onEachEmulator } from "./support/emulators.ts";
import { describeRun, loadAverage, sized } from "./support/run-environment.ts";
import { median, ratioWithSpread } from "./support/statistics.ts";

const ROUNDS = sized(Number(process.env["OVERHEAD_BENCH_ROUNDS"] ?? 61), 2);
const WARMUP_ROUNDS = sized(3, 1);
const EVENTS_PER_ROUND = sized(Number(process.env["OVERHEAD_BENCH_EVENTS"] ?? 30), 5);
const CLIENT_EVENTS_PER_ROUND = sized(Number(process.env["OVERHEAD_BENCH_CLIENT_EVENTS"] ?? 500), 20);
/** End to end, one event per case and round: rounds of single events, the finest interleaving. */
const SINGLE_EVENT_ROUNDS = sized(Number(process.env["OVERHEAD_BENCH_SINGLE_EVENT_ROUNDS"] ?? 1_500), 6);

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
  /** Ours with a handler that builds its Update with `documentItem`. */
  readonly oursDocument: number;
  readonly handWritten: number;
  readonly unit: "ms wall" | "µs CPU";
  /** Ours ÷ hand-written, round by round. */
  readonly ratios: readonly number[];
  /** Ours with `documentItem` ÷ hand-written, round by round. */
  readonly documentRatios: readonly number[];
  readonly loadAverage: number;
}

type Case = () => Promise<void>;

type CaseName = "ours" | "oursDocument" | "handWritten";

/** Runs the cases in interleaved rounds, rotating their order; returns each round's measure of each. */
async function interleave(
  cases: Record<CaseName, Case>,
  measure: (run: Case) => Promise<number>,
  rounds = ROUNDS,
  warmUpRounds = WARMUP_ROUNDS,
): Promise<Record<CaseName, number[]>> {
  const names = Object.keys(cases) as CaseName[];
  const result: Record<CaseName, number[]> = { ours: [], oursDocument: [], handWritten: [] };
  for (let round = -warmUpRounds; round < rounds; round++) {
    const first = (round + warmUpRounds) % names.length;
    for (const name of [...names.slice(first), ...names.slice(0, first)]) {
      const value = await measure(cases[name]);
      if (round >= 0) result[name].push(value);
    }
  }
  return result;
}

/** The figures of one place from its rounds. */
function figuresOf(where: string, unit: OverheadFigures["unit"], rounds: Record<CaseName, number[]>, events: number, load: number): OverheadFigures {
  const against = (values: readonly number[]) => values.map((value, i) => value / (rounds.handWritten[i] as number));
  return {
    where,
    ours: median(rounds.ours) / events,
    oursDocument: median(rounds.oursDocument) / events,
    handWritten: median(rounds.handWritten) / events,
    unit,
    ratios: against(rounds.ours),
    documentRatios: against(rounds.oursDocument),
    loadAverage: load,
  };
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

/** The three cases on one client: `events` events each, on streams of their own (named from `prefix`). */
function cases(client: DynamoDBClient, versionTable: string, balanceTable: string, events: number, prefix = ""): Record<CaseName, Case> {
  const scope = createEventScope();
  const ours = (shape: ProjectionShape, stream: string): Case => {
    const projection = dynamoProjection(client, versionTable, depositHandler(balanceTable, shape));
    let offset = 0;
    return async () => {
      for (let i = 0; i < events; i++) {
        const { resource, current, next } = streamEventVersions(stream, offset++);
        if (!(await projection.handleEvent(resource, current, next, scope, { type: "Deposited", account: stream, amount: 1, id: "" }))) {
          throw new Error(`an event of ${stream} was not applied`);
        }
      }
    };
  };
  let handOffset = 0;
  const handStream = `${prefix}hand-written`;
  const handKey = versionItemKey(HANDLER_KEY, new TextEncoder().encode(handStream));
  return {
    ours: ours("balance, native", `${prefix}ours`),
    oursDocument: ours("balance", `${prefix}ours-document`),
    handWritten: async () => {
      for (let i = 0; i < events; i++) {
        const { current, next } = streamEventVersions(handStream, handOffset++);
        await handWrittenEvent(client, versionTable, handKey, current, next, balanceTable, handStream, 1);
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
    const versionTable = await createVersionTable(client);
    const balanceTable = await createUserTable(client, "Balances");
    const rounds = await interleave(cases(client, versionTable, balanceTable, EVENTS_PER_ROUND), wallMs);
    const singleEvents = await interleave(cases(client, versionTable, balanceTable, 1, "single-"), wallMs, SINGLE_EVENT_ROUNDS, 100);
    return { rounds, singleEvents, load: loadAverage(), name };
  })) {
    figures.push(figuresOf(emulator, "ms wall", result.rounds, EVENTS_PER_ROUND, result.load));
    figures.push(figuresOf(`${emulator}, one event per round`, "ms wall", result.singleEvents, 1, result.load));
  }
  const canned = cannedClient();
  const rounds = await interleave(cases(canned, "Versions", "Balances", CLIENT_EVENTS_PER_ROUND), cpuMicros);
  canned.destroy();
  figures.push(figuresOf("client side (canned responses)", "µs CPU", rounds, CLIENT_EVENTS_PER_ROUND, loadAverage()));
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
  console.log(
    `${ROUNDS} interleaved rounds after ${WARMUP_ROUNDS} warm-up; ${EVENTS_PER_ROUND} events per case and round end to end, ${CLIENT_EVENTS_PER_ROUND} client side; ` +
      `"one event per round": ${SINGLE_EVENT_ROUNDS} rounds of one event per case after 100 warm-up`,
  );
  console.log("ours: the handler returns the baseline's Update as the baseline builds it; ours + documentItem: it builds the same Update with documentItem");
  console.log(
    "| where | unit | hand-written per event | ours per event | ours − hand-written | ratio of the medians | ratio per round: median (min–max) | ours + documentItem per event | its ratio per round | load avg |",
  );
  console.log("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const f of figures) {
    const digits = f.unit === "ms wall" ? 3 : 0;
    console.log(
      `| ${f.where} | ${f.unit} | ${f.handWritten.toFixed(digits)} | ${f.ours.toFixed(digits)} | ${(f.ours - f.handWritten).toFixed(digits)} | ${(f.ours / f.handWritten).toFixed(3)}× | ${ratioWithSpread(f.ratios, 3)} | ${f.oursDocument.toFixed(digits)} | ${ratioWithSpread(f.documentRatios, 3)} | ${f.loadAverage.toFixed(1)} |`,
    );
  }
}

if (import.meta.main) {
  console.log(describeRun());
  printOverhead(await runOverheadBench());
}
