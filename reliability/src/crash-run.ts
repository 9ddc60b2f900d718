import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createDynamoDBLocalClient } from "@projectionkit/dynamodb-testing";
import type { Breakage } from "./breakage.js";
import { CommitGate, type CommitMoment, type TrappedCommit } from "./commit-gate.js";
import { WORKER_CONFIG_ENV, type CrashWorkerConfig, type WorkerMessage } from "./crash-protocol.js";
import { makeDepositHistory } from "./deposit-history.js";
import { createLedgerTables, ledgerTables, readDynamoLedger } from "./dynamo-ledger.js";
import { checkFold, type FoldCheck } from "./read-model-check.js";
import { seededRandom } from "./seeded-random.js";

/** A crash run: worker processes against one emulator, some of them killed on the way. */
export interface CrashOptions {
  /** The emulator's endpoint (dynalite's server or DynamoDB Local), started by the caller. */
  readonly endpoint: string;
  readonly streams: number;
  readonly eventsPerStream: number;
  /** Worker processes at any time. Default 4. */
  readonly workers?: number | undefined;
  /** How many times a worker is killed with SIGKILL (and replaced). */
  readonly kills: number;
  readonly seed: number;
  readonly breakage?: Breakage | undefined;
  /** Called with a line for each kill and restart. */
  readonly progress?: ((line: string) => void) | undefined;
  /** Gives up (killing every worker) when it aborts. */
  readonly signal?: AbortSignal | undefined;
}

/** Where a kill landed: at a random moment, or in the middle of a commit. */
export type KillMoment = "random" | CommitMoment;

/** One kill. */
export interface KillRecord {
  readonly slot: number;
  readonly pid: number;
  readonly moment: KillMoment;
  /** For a kill in the middle of a commit: the operation, and whether the emulator had applied it. */
  readonly commit?: TrappedCommit | undefined;
  /** Commits the emulator had applied when the kill was ordered. */
  readonly atCommit: number;
  /** What the replacement found when it resumed: its streams' events, and how many were stored. */
  readonly replacement?: { readonly owned: number; readonly stored: number } | undefined;
}

/** What a crash run did and found. */
export interface CrashResult {
  readonly events: number;
  readonly streams: number;
  readonly workers: number;
  readonly kills: readonly KillRecord[];
  /** Worker processes started, replacements included. */
  readonly processes: number;
  /** Commits the emulator applied (answered 200). */
  readonly commits: number;
  readonly seconds: number;
  readonly check: FoldCheck;
}

const WORKER_SCRIPT = fileURLToPath(new URL("./crash-worker.ts", import.meta.url));
const SOURCE_RESOLUTION = fileURLToPath(new URL("./source-resolution.ts", import.meta.url));

/**
 * The order of kill moments: a third each of kills after the emulator applied a commit, at a
 * random moment, and before the emulator saw a commit on the wire (in that rotation), so that 10
 * kills have 7 in the middle of a commit and 3 have 2.
 *
 * @param kills - how many.
 * @returns the moment of each kill.
 *
 * @example
 * ```ts
 * killPlan(3); // ["after-apply", "random", "before-apply"]
 * ```
 */
export function killPlan(kills: number): KillMoment[] {
  const rotation: readonly KillMoment[] = ["after-apply", "random", "before-apply"];
  return Array.from({ length: kills }, (_, index) => rotation[index % rotation.length] as KillMoment);
}

/**
 * Runs worker processes (each a `DeliveryDriver` over `dynamoProjection` with its own client)
 * against one emulator through a {@link CommitGate}, SIGKILLs one `kills` times (spread over the
 * run by the commits applied so far; the moments from {@link killPlan}), starts a replacement for
 * each, which resumes its streams from their stored versions, and at the end compares the read
 * model with the fold of each event applied exactly once.
 *
 * @param options - the emulator, the history, the kills.
 * @returns the kills and the verdict.
 * @throws Error when a worker fails on its own, or the workers finish before every kill landed.
 *
 * @example
 * ```ts
 * await using dynalite = await startDynalite();
 * const result = await runCrash({ endpoint: dynalite.endpoint, streams: 20, eventsPerStream: 20, kills: 3, seed: 1 });
 * ```
 */
export async function runCrash(options: CrashOptions): Promise<CrashResult> {
  const admin = createDynamoDBLocalClient(options.endpoint, { maxAttempts: 3 });
  try {
    return await crashWith(admin, options);
  } finally {
    admin.destroy();
  }
}

async function crashWith(admin: DynamoDBClient, options: CrashOptions): Promise<CrashResult> {
  const started = performance.now();
  const slots = options.workers ?? 4;
  const history = makeDepositHistory(options.streams, options.eventsPerStream, seededRandom(options.seed));
  const random = seededRandom(options.seed + 1);
  const tables = ledgerTables("crash");
  await createLedgerTables(admin, tables);
  const gate = await CommitGate.start(options.endpoint, tables.versions);
  const plan = killPlan(options.kills);
  const kills: Array<KillRecord & { generation: number }> = [];
  const resumed = new Map<string, { owned: number; stored: number }>();
  const generations = new Array<number>(slots).fill(0);
  const running = new Map<number, ChildProcess>();
  const finished = new Set<number>();
  const exits = new Map<number, Promise<void>>();
  let processes = 0;
  let failure: Error | undefined;
  let stopping = false;
  let wake: () => void = () => {};
  const changed = () => new Promise<void>((resolve) => (wake = resolve));

  const start = (slot: number): void => {
    const config: CrashWorkerConfig = {
      endpoint: gate.endpoint,
      tables,
      slot,
      slots,
      streams: options.streams,
      eventsPerStream: options.eventsPerStream,
      seed: options.seed,
      generation: generations[slot] ?? 0,
      breakage: options.breakage ?? "none",
    };
    const child = fork(WORKER_SCRIPT, [], {
      execArgv: ["--import", SOURCE_RESOLUTION],
      env: { ...process.env, [WORKER_CONFIG_ENV]: JSON.stringify(config) },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    processes++;
    const output: string[] = [];
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.on("message", (message: WorkerMessage) => {
      if (message.type === "resumed") {
        resumed.set(`${slot}/${config.generation}`, { owned: message.owned, stored: message.stored });
      }
    });
    running.set(slot, child);
    exits.set(
      slot,
      new Promise((resolve) =>
        child.once("exit", (code, signal) => {
          running.delete(slot);
          if (signal === "SIGKILL") {
            // Killed by this run: a replacement takes over the slot at once.
            generations[slot] = (generations[slot] ?? 0) + 1;
            if (failure === undefined && !stopping) start(slot);
          } else if (code === 0) {
            finished.add(slot);
          } else {
            failure ??= new Error(`worker ${slot} (pid ${child.pid}) exited with ${code ?? signal}:\n${output.join("").slice(-4_000)}`);
          }
          resolve();
          wake();
        }),
      ),
    );
  };

  const killAndWait = async (slot: number): Promise<void> => {
    const exited = exits.get(slot);
    running.get(slot)?.kill("SIGKILL");
    await exited;
  };

  const unfinished = (): number[] => [...running.keys()].filter((slot) => !finished.has(slot));
  const abort = (): void => {
    failure ??= new Error("the crash run was aborted", { cause: options.signal?.reason });
    wake();
  };
  options.signal?.addEventListener("abort", abort, { once: true });

  try {
    for (let slot = 0; slot < slots; slot++) start(slot);
    const events = history.events.length;
    for (let index = 0; index < plan.length && failure === undefined; index++) {
      const moment = plan[index] as KillMoment;
      // Spread the kills over the run: kill i once i/(kills+1) of the events have committed.
      const threshold = Math.floor(((index + 1) * events) / (plan.length + 1));
      while (gate.applied < threshold && failure === undefined && finished.size < slots) {
        const stop = gate.onApplied(() => wake());
        await changed();
        stop();
      }
      const kill = await landKill(moment);
      if (kill === undefined) {
        failure ??= new Error(`the workers finished before kill ${index + 1} of ${plan.length} (${moment}) could land: make the run longer`);
        break;
      }
      kills.push(kill);
      options.progress?.(`kill ${kills.length}/${plan.length}: worker ${kill.slot} (pid ${kill.pid}) ${describeKill(kill)}, after ${kill.atCommit} commits; replacement started`);
    }
    while (failure === undefined && finished.size < slots) {
      await changed();
    }
  } finally {
    stopping = true;
    options.signal?.removeEventListener("abort", abort);
    for (const child of running.values()) child.kill("SIGKILL");
    await Promise.all(exits.values());
    await gate.close();
  }
  if (failure !== undefined) {
    throw failure;
  }
  const check = checkFold(await readDynamoLedger(admin, tables, history.streams), history.expected);
  return {
    events: history.events.length,
    streams: history.streams.length,
    workers: slots,
    kills: kills.map((kill) => ({ ...kill, replacement: resumed.get(`${kill.slot}/${kill.generation}`) })),
    processes,
    commits: gate.applied,
    seconds: (performance.now() - started) / 1000,
    check,
  };

  /** Kills a random unfinished worker at `moment`; `undefined` when every worker finished first. */
  async function landKill(moment: KillMoment): Promise<(KillRecord & { generation: number }) | undefined> {
    for (;;) {
      if (failure !== undefined) return undefined;
      const candidates = unfinished();
      const slot = candidates[Math.floor(random() * candidates.length)];
      const child = slot === undefined ? undefined : running.get(slot);
      if (slot === undefined || child?.pid === undefined) return undefined;
      const pid = child.pid;
      if (moment === "random") {
        await new Promise((resolve) => setTimeout(resolve, random() * 50));
        if (!running.has(slot) || running.get(slot) !== child) continue;
        await killAndWait(slot);
        return { slot, pid, moment, atCommit: gate.applied, generation: generations[slot] ?? 0 };
      }
      const atKill = gate.applied;
      const trap: { commit?: TrappedCommit } = {};
      void gate.killDuring(pid, moment, () => killAndWait(slot)).then((commit) => {
        trap.commit = commit;
        wake();
      });
      while (trap.commit === undefined && !finished.has(slot) && failure === undefined) {
        await changed();
      }
      if (trap.commit !== undefined) {
        return { slot, pid, moment, commit: trap.commit, atCommit: atKill, generation: generations[slot] ?? 0 };
      }
      // The worker finished without another commit: arm another one.
      gate.disarm(pid);
    }
  }
}

/**
 * How a kill landed, in words.
 *
 * @param kill - the kill.
 * @returns e.g. "killed with a TransactWriteItems on the wire, after the emulator applied it".
 *
 * @example
 * ```ts
 * console.log(describeKill(result.kills[0]));
 * ```
 */
export function describeKill(kill: KillRecord): string {
  if (kill.moment === "random") {
    return "killed at a random moment";
  }
  const operation = kill.commit?.operation ?? "commit";
  return kill.commit?.applied === true
    ? `killed with a ${operation} on the wire, after the emulator applied it`
    : `killed with a ${operation} on the wire, before the emulator saw it`;
}
