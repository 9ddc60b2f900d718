import { Command } from "commander";
import packageJson from "../package.json" with { type: "json" };
import type { CliIo } from "./cli-io.js";
import { checkCommand } from "./commands/check-command.js";
import { resetCommand } from "./commands/reset-command.js";
import { versionsCommand } from "./commands/versions-command.js";
import type { ExitCode } from "./exit-codes.js";

const EXIT_CODE_HELP = `
Exit codes:
  0    done
  1    an unexpected error
  2    bad usage: an unknown or malformed option, a handler key that is not a UUID, no region
  3    the table does not exist
  4    the table's key schema is not the version table's
  5    no credentials, or the service refused them or their permissions
  6    the endpoint cannot be reached
  7    reset kept items whose version changed while it ran (a projection is still writing)
  130  interrupted (Ctrl-C): what was done is printed; running the command again continues

Without --endpoint, requests go to DynamoDB with the AWS SDK's default credential chain (AWS_ACCESS_KEY_ID,
AWS_PROFILE, SSO, container or instance roles) and region (--region, AWS_REGION, the profile's).`;

/**
 * The `projectionkit` program: its commands write to `io` and report their exit code to `exit`.
 * Commander's own exits (help, usage errors) throw instead of ending the process.
 *
 * @internal
 */
export function buildProgram(io: CliIo, exit: (code: ExitCode) => void): Command {
  const program = new Command("projectionkit")
    .description("Operate the DynamoDB version table of projectionkit projections.")
    .version(packageJson.version)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
      getOutHelpWidth: () => io.stdout.columns ?? 100,
      getErrHelpWidth: () => io.stderr.columns ?? 100,
    })
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", EXIT_CODE_HELP);
  for (const command of [versionsCommand(io, exit), resetCommand(io, exit), checkCommand(io, exit)]) {
    program.addCommand(command.exitOverride().configureOutput(program.configureOutput()).showHelpAfterError("(run with --help for usage)"));
  }
  return program;
}
