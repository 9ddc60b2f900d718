import { createServer, request as httpRequest, Agent, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The header by which a worker process names itself (its pid) on every request. */
export const WORKER_HEADER = "x-projectionkit-worker";

/** The DynamoDB operations that commit something. */
const WRITES = new Set(["TransactWriteItems", "PutItem", "UpdateItem", "DeleteItem"]);

/**
 * Where in a commit a kill lands:
 * - `before-apply`: the commit is on the wire (it left the worker and reached the gate), and the
 *   worker dies before the emulator sees it: nothing is applied;
 * - `after-apply`: the emulator applied it (it answered 200), and the worker dies before the
 *   answer reaches it.
 */
export type CommitMoment = "before-apply" | "after-apply";

/** What the gate did for an armed kill. */
export interface TrappedCommit {
  /** The operation that was on the wire, e.g. `TransactWriteItems`. */
  readonly operation: string;
  /** Whether the emulator applied it before the worker died. */
  readonly applied: boolean;
}

interface Trap {
  readonly moment: CommitMoment;
  readonly kill: () => Promise<void>;
  readonly sprung: (commit: TrappedCommit) => void;
}

/**
 * A small HTTP proxy between the worker processes and the emulator that sees every commit (a
 * write that touches the version table) on the wire: it counts the commits the emulator applied,
 * and kills a worker exactly in the middle of one of its commits when armed to, before or after
 * the emulator applies it. The emulator is real; requests and answers pass through unchanged
 * otherwise.
 *
 * @example
 * ```ts
 * const gate = await CommitGate.start(dynalite.endpoint, "ProjectionVersions");
 * const commit = await gate.killDuring(child.pid, "after-apply", () => killAndWait(child));
 * await gate.close();
 * ```
 */
export class CommitGate {
  readonly #server: Server;
  readonly #target: URL;
  readonly #versionTable: string;
  readonly #agent = new Agent({ keepAlive: true });
  readonly #traps = new Map<number, Trap>();
  readonly #listeners = new Set<(applied: number) => void>();
  #applied = 0;

  private constructor(target: URL, versionTable: string) {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    this.#target = target;
    this.#versionTable = versionTable;
  }

  /**
   * Starts the gate on a free port of 127.0.0.1.
   *
   * @param target - the emulator's endpoint.
   * @param versionTable - the projection's version table: a commit is a write that touches it.
   * @returns the running gate.
   */
  static async start(target: string, versionTable: string): Promise<CommitGate> {
    const gate = new CommitGate(new URL(target), versionTable);
    await new Promise<void>((resolve, reject) => {
      gate.#server.once("error", reject);
      gate.#server.listen(0, "127.0.0.1", () => resolve());
    });
    return gate;
  }

  /** The endpoint the workers use. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Commits (writes on the version table) the emulator applied (answered 200), through this gate. */
  get applied(): number {
    return this.#applied;
  }

  /**
   * Calls `listener` after each applied commit, with the count so far.
   *
   * @param listener - the callback.
   * @returns a function that removes it.
   */
  onApplied(listener: (applied: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Arms a kill for the next commit of worker `pid` at `moment` (for `after-apply`: the next commit
   * the emulator applies). `kill` must end the worker; the worker's connection is then dropped.
   *
   * @param pid - the worker's process id.
   * @param moment - before or after the emulator applies the commit.
   * @param kill - kills the worker and resolves once it has exited.
   * @returns the commit it landed on, once the worker is dead.
   */
  killDuring(pid: number, moment: CommitMoment, kill: () => Promise<void>): Promise<TrappedCommit> {
    return new Promise((sprung) => this.#traps.set(pid, { moment, kill, sprung }));
  }

  /**
   * Takes back an armed kill that has not landed (its worker finished first).
   *
   * @param pid - the worker's process id.
   * @returns whether a kill was armed for it.
   */
  disarm(pid: number): boolean {
    return this.#traps.delete(pid);
  }

  /** Closes the gate and its connections. */
  async close(): Promise<void> {
    this.#agent.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const body = await readAll(req);
      const operation = String(req.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
      const commit = WRITES.has(operation) && body.includes(JSON.stringify(this.#versionTable));
      const pid = Number(req.headers[WORKER_HEADER]);
      const trap = commit ? this.#traps.get(pid) : undefined;
      if (trap?.moment === "before-apply") {
        this.#traps.delete(pid);
        await trap.kill();
        res.destroy();
        trap.sprung({ operation, applied: false });
        return;
      }
      const answer = await this.#forward(req, body);
      const applied = commit && answer.status === 200;
      if (applied) {
        this.#applied++;
      }
      if (trap?.moment === "after-apply" && applied) {
        this.#traps.delete(pid);
        await trap.kill();
        res.destroy();
        trap.sprung({ operation, applied: true });
      } else {
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      }
      if (applied) {
        for (const listener of this.#listeners) listener(this.#applied);
      }
    } catch {
      // The worker went away mid-request (killed at a random moment): nothing to answer.
      res.destroy();
    }
  }

  #forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const upstream = httpRequest(
        { host: this.#target.hostname, port: this.#target.port, path: req.url, method: req.method, headers: req.headers, agent: this.#agent },
        (answer) => {
          readAll(answer).then((data) => resolve({ status: answer.statusCode ?? 500, headers: answer.headers, body: data }), reject);
        },
      );
      upstream.once("error", reject);
      upstream.end(body);
    });
  }
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.once("end", () => resolve(Buffer.concat(chunks)));
    stream.once("error", reject);
    stream.once("aborted", () => reject(new Error("aborted")));
  });
}
