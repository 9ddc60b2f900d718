#!/usr/bin/env node
import { EXIT_CODES } from "./exit-codes.js";
import { runCli } from "./run-cli.js";

// The first Ctrl-C stops the command cleanly (it prints how far it got and exits with 130); a
// second one ends the process at once.
const interrupt = new AbortController();
process.on("SIGINT", () => {
  if (interrupt.signal.aborted) {
    process.exit(EXIT_CODES.interrupted);
  }
  interrupt.abort();
});
// A closed pipe (`projectionkit versions … | head`) is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") {
    process.exit(EXIT_CODES.ok);
  }
  throw error;
});

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: interrupt.signal }).then((code) => {
  process.exitCode = code;
});
