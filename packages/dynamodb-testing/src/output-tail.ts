import type { Readable } from "node:stream";

/**
 * Options of {@link OutputTail}.
 *
 * @example
 * ```ts
 * const options: OutputTailOptions = { maxLines: 40, onLine: (line) => console.log(line) };
 * ```
 */
export interface OutputTailOptions {
  /** How many of the last lines to keep. Default 60. */
  readonly maxLines?: number;
  /** Called with every complete line, without its line break. */
  readonly onLine?: (line: string) => void;
}

const MAX_LINE_LENGTH = 2_000;

/**
 * Keeps the last lines a child process wrote to one or more streams, so that a failure can show
 * them, and reports each line as it arrives. Reading the streams also keeps the child from blocking
 * on a full pipe.
 *
 * @internal
 */
export class OutputTail {
  readonly #maxLines: number;
  readonly #onLine: ((line: string) => void) | undefined;
  readonly #lines: string[] = [];
  readonly #partials = new Map<Readable, string>();

  /**
   * @param options - how many lines to keep and a per-line callback.
   */
  constructor(options: OutputTailOptions = {}) {
    this.#maxLines = options.maxLines ?? 60;
    this.#onLine = options.onLine;
  }

  /**
   * Reads `stream` to its end, adding its lines to the tail.
   *
   * @param stream - a readable stream of text, e.g. a child's stdout; ignored when `null`.
   */
  follow(stream: Readable | null): void {
    if (stream === null) {
      return;
    }
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => this.#append(stream, chunk));
    stream.on("end", () => this.#flush(stream));
    stream.on("error", () => this.#flush(stream));
  }

  /**
   * @returns the kept lines, joined with line breaks, including a last unterminated line.
   */
  text(): string {
    const partials = [...this.#partials.values()].filter((line) => line.length > 0);
    return [...this.#lines, ...partials].join("\n");
  }

  #append(stream: Readable, chunk: string): void {
    const pieces = ((this.#partials.get(stream) ?? "") + chunk).split(/\r?\n/);
    const rest = pieces.pop() ?? "";
    this.#partials.set(stream, rest.slice(-MAX_LINE_LENGTH));
    for (const line of pieces) {
      this.#push(line);
    }
  }

  #flush(stream: Readable): void {
    const rest = this.#partials.get(stream);
    this.#partials.delete(stream);
    if (rest !== undefined && rest.length > 0) {
      this.#push(rest);
    }
  }

  #push(line: string): void {
    this.#lines.push(line.length > MAX_LINE_LENGTH ? `${line.slice(0, MAX_LINE_LENGTH)}…` : line);
    if (this.#lines.length > this.#maxLines) {
      this.#lines.splice(0, this.#lines.length - this.#maxLines);
    }
    this.#onLine?.(line);
  }
}
