import { isProjectionKitError, validateIdentityKey } from "@projectionkit/core";
import { DEFAULT_ATTRIBUTE_NAMES } from "@projectionkit/dynamodb";
import { InvalidArgumentError, Option, type Command } from "commander";
import { requireEndpoint } from "../connect.js";
import { requireInteger } from "../scan-versions.js";
import { requireAttributeName, requireTable } from "../version-table.js";

/**
 * The options every command takes.
 *
 * @internal
 */
export interface TableFlags {
  readonly table: string;
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
  readonly keyAttribute: string;
}

/**
 * The options of the commands that scan one projection's items.
 *
 * @internal
 */
export interface ProjectionFlags extends TableFlags {
  readonly handlerKey: string;
  readonly versionAttribute: string;
  readonly segments?: number | undefined;
  readonly pageSize?: number | undefined;
}

/**
 * Adds `--table`, `--endpoint`, `--region` and `--key-attribute`.
 *
 * @internal
 */
export function addTableOptions(command: Command): Command {
  return command
    .addOption(new Option("--table <name>", "the version table's name or ARN (required)").makeOptionMandatory().argParser(checked(requireTable)))
    .addOption(
      new Option("--endpoint <url>", "a DynamoDB endpoint, e.g. a local emulator; default: AWS's, with the default credential chain").argParser(
        checked((value) => requireEndpoint(value)),
      ),
    )
    .addOption(new Option("--region <region>", "the AWS region; default: AWS_REGION or your profile's (us-east-1 with --endpoint)"))
    .addOption(
      new Option("--key-attribute <name>", "the table's HASH key attribute (type B), as in the adapter's attributeNames.key")
        .default(DEFAULT_ATTRIBUTE_NAMES.key)
        .argParser(checked((value) => requireAttributeName(value, "--key-attribute"))),
    );
}

/**
 * Adds the table options and `--handler-key`, `--version-attribute`, `--segments`, `--page-size`.
 *
 * @internal
 */
export function addProjectionOptions(command: Command): Command {
  return addTableOptions(command)
    .addOption(
      new Option("--handler-key <uuid>", "the projection's identity key, the UUID given to c.identity (required)")
        .makeOptionMandatory()
        .argParser(checked(validateIdentityKey, "expected the projection's identity key, a UUID such as 0f4e1f5c-6b5d-4b7e-9d43-2b5f0f6a3c11")),
    )
    .addOption(
      new Option("--version-attribute <name>", "the version attribute (type B), as in the adapter's attributeNames.version")
        .default(DEFAULT_ATTRIBUTE_NAMES.version)
        .argParser(checked((value) => requireAttributeName(value, "--version-attribute"))),
    )
    .addOption(
      new Option("--segments <n>", "parallel scan segments; default: 1 per 256 MiB of table, at most 8").argParser(integer(1, 1_000_000)),
    )
    .addOption(
      new Option("--page-size <n>", "items read per Scan request; default: as many as fit in 1 MB").argParser(integer(1, Number.MAX_SAFE_INTEGER)),
    );
}

/**
 * An option parser from a validator: commander reports what it throws as a usage error.
 *
 * @internal
 */
export function checked<T>(validate: (value: string) => T, message?: string): (value: string) => T {
  return (value) => {
    try {
      return validate(value);
    } catch (error) {
      if (!isProjectionKitError(error)) {
        throw error;
      }
      throw new InvalidArgumentError(message ?? error.message.replace(/^invalid [^:]+: /, ""));
    }
  };
}

/**
 * An option parser for an integer in `[min, max]`, written in decimal digits.
 *
 * @internal
 */
export function integer(min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^[0-9]+$/.test(value)) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return checked((digits) => requireInteger(Number(digits), min, max, "value"))(value);
  };
}
