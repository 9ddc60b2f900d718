import { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import { connectDynamoDB, type Connection } from "../connect.js";
import type { ExitCode } from "../exit-codes.js";
import type { TableFlags } from "./options.js";

/**
 * What a command of the version table is: its help, its options and what it does on a connection.
 *
 * @internal
 */
export interface TableCommandSpec<F extends TableFlags> {
  readonly name: string;
  /** One line, in the program's list of commands. */
  readonly summary: string;
  /** The command's help. */
  readonly description: string;
  /** Adds the command's options (the table's, or a projection's, then its own). */
  readonly addOptions: (command: Command) => Command;
  /** Command lines shown under "Examples:" in the help. */
  readonly examples: readonly string[];
  /** Does the command's work; resolves with its exit code. */
  readonly run: (connection: Connection, flags: F, io: CliIo) => Promise<ExitCode>;
}

/**
 * A command of the version table: its help and options from `spec`; when it runs, it connects to
 * DynamoDB as `--endpoint` and `--region` say, runs `spec.run`, closes the connection, then reports
 * the exit code to `exit`.
 *
 * @internal
 */
export function tableCommand<F extends TableFlags>(spec: TableCommandSpec<F>, io: CliIo, exit: (code: ExitCode) => void): Command {
  const command = new Command(spec.name).summary(spec.summary).description(spec.description);
  spec
    .addOptions(command)
    .addHelpText("after", `\nExamples:\n${spec.examples.map((line) => `  $ ${line}`).join("\n")}`)
    .action(async (flags: F) => exit(await runConnected(spec, flags, io)));
  return command;
}

async function runConnected<F extends TableFlags>(spec: TableCommandSpec<F>, flags: F, io: CliIo): Promise<ExitCode> {
  using connection = await connectDynamoDB({ endpoint: flags.endpoint, region: flags.region, signal: io.signal });
  return spec.run(connection, flags, io);
}
