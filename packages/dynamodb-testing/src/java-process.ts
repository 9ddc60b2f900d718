import { spawn, type ChildProcess } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JavaNotFoundError } from "./errors.js";
import { OutputTail } from "./output-tail.js";

/**
 * Options of {@link spawnJava}.
 *
 * @internal
 */
export interface SpawnJavaOptions {
  /** The `java` executable. */
  readonly javaPath: string;
  /** Its arguments. */
  readonly args: readonly string[];
  /** Called with every line Java writes to stdout or stderr. */
  readonly onLine?: (line: string) => void;
}

/**
 * How a Java process ended.
 *
 * @internal
 */
export interface JavaExit {
  /** The exit code, or `null` when killed by a signal. */
  readonly code: number | null;
  /** The signal that killed it, if any. */
  readonly signal: NodeJS.Signals | null;
}

/**
 * A running Java child process, supervised: its output is kept, and it is killed when Node.js
 * exits normally or is terminated by SIGINT, SIGTERM or SIGHUP, so that tests leave no JVM behind.
 *
 * @internal
 */
export interface JavaProcess {
  /** The operating-system process id. */
  readonly pid: number;
  /** Resolves when the process has exited. Never rejects. */
  readonly exited: Promise<JavaExit>;
  /** How it exited, once it has. */
  readonly exit: JavaExit | undefined;
  /** The last lines of its stdout and stderr. */
  output(): string;
  /**
   * Lets Node.js exit while the process still runs (it is then killed on exit), or, with `true`,
   * keeps Node.js running until it ends.
   */
  keepNodeAlive(keep: boolean): void;
  /** Asks it to stop (SIGTERM), kills it (SIGKILL) after `graceMs`, and resolves once it has exited. */
  kill(graceMs?: number): Promise<JavaExit>;
}

/**
 * The java executable used when none is given: `$JAVA_HOME/bin/java` if `JAVA_HOME` is set,
 * otherwise `java` from `PATH`.
 *
 * @internal
 * @returns a path or a command name.
 */
export function defaultJavaPath(): string {
  const javaHome = process.env["JAVA_HOME"];
  if (javaHome !== undefined && javaHome.length > 0) {
    return join(javaHome, "bin", process.platform === "win32" ? "java.exe" : "java");
  }
  return "java";
}

/**
 * Starts Java and resolves once the process exists.
 *
 * @internal
 * @param options - the executable, its arguments and a line callback.
 * @returns the supervised process.
 * @throws {@link JavaNotFoundError} when the executable does not exist or cannot be run.
 */
export async function spawnJava(options: SpawnJavaOptions): Promise<JavaProcess> {
  const { javaPath, args, onLine } = options;
  const tail = new OutputTail(onLine === undefined ? {} : { onLine });
  let child: ChildProcess;
  try {
    // DynamoDB Local writes dynamodb-local-metadata.json into its working directory: keep it out of
    // the user's project.
    child = spawn(javaPath, args, { cwd: tmpdir(), stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
  } catch (error) {
    throw new JavaNotFoundError(javaPath, { cause: error });
  }
  tail.follow(child.stdout);
  tail.follow(child.stderr);

  let exit: JavaExit | undefined;
  const exited = new Promise<JavaExit>((resolve) => {
    // "close", not "exit": it comes after the output streams ended, so a failure report has Java's last lines.
    child.once("close", (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });

  await new Promise<void>((resolve, reject) => {
    child.once("spawn", () => resolve());
    child.once("error", (error) => reject(new JavaNotFoundError(javaPath, { cause: error })));
  });
  const pid = child.pid;
  if (pid === undefined) {
    throw new JavaNotFoundError(javaPath);
  }
  child.on("error", () => undefined); // Later errors (a failed kill) surface through `exited`.
  track(child);

  const keepNodeAlive = (keep: boolean): void => {
    for (const handle of [child, child.stdout, child.stderr] as (Partial<RefCounted> | null)[]) {
      if (keep) {
        handle?.ref?.();
      } else {
        handle?.unref?.();
      }
    }
  };

  return {
    pid,
    exited,
    get exit() {
      return exit;
    },
    output: () => tail.text(),
    keepNodeAlive,
    async kill(graceMs = 5_000) {
      if (exit !== undefined) {
        return exit;
      }
      keepNodeAlive(true);
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

interface RefCounted {
  ref(): void;
  unref(): void;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;
const TERMINATING_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * Kills Java when Node.js goes away. Normal exits run `process.on("exit")` hooks, but a
 * terminating signal does not: test runners stop their worker processes with SIGTERM (vitest's
 * forks), which would orphan a JVM. So while a Java process runs, a listener for SIGINT, SIGTERM
 * and SIGHUP kills it too, and then, if nobody else listens for that signal, re-raises it so that
 * Node.js still dies of it as it would have. Only SIGKILL of Node.js itself can still orphan Java.
 */
function track(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  running.add(child);
  child.once("exit", () => {
    running.delete(child);
    if (running.size === 0) {
      uninstallSignalHandlers();
    }
  });
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", killAll);
  }
  installSignalHandlers();
}

function killAll(): void {
  for (const child of running) {
    child.kill("SIGKILL");
  }
}

const signalHandlers = new Map<NodeJS.Signals, () => void>();

function installSignalHandlers(): void {
  for (const signal of TERMINATING_SIGNALS) {
    if (signalHandlers.has(signal)) {
      continue;
    }
    const handler = (): void => {
      // Runs first (prepended), so other listeners, `once` ones included, are still registered.
      const othersListen = process.listeners(signal).some((listener) => listener !== handler);
      killAll();
      if (!othersListen) {
        uninstallSignalHandlers();
        process.kill(process.pid, signal);
      }
    };
    signalHandlers.set(signal, handler);
    process.prependListener(signal, handler);
  }
}

function uninstallSignalHandlers(): void {
  for (const [signal, handler] of signalHandlers) {
    process.off(signal, handler);
  }
  signalHandlers.clear();
}
