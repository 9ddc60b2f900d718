import { vi } from "vitest";
import { DYNAMODB_LOCAL_CREDENTIALS, DYNAMODB_LOCAL_REGION } from "./emulators.ts";

/** Paths that do not exist: the SDK finds no shared config or credentials files. */
const NO_FILE = "/nonexistent/projectionkit-cli-tests";

/**
 * The AWS environment of a CLI run in the tests: the emulator harness's credentials and region
 * (DynamoDB Local keeps one database per access key and region, so the CLI sees the tables the
 * test made), no shared files, and never the instance metadata service.
 */
export function emulatorEnvironment(): Record<string, string | undefined> {
  return {
    ...noCredentialsEnvironment(),
    AWS_ACCESS_KEY_ID: DYNAMODB_LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DYNAMODB_LOCAL_CREDENTIALS.secretAccessKey,
    AWS_REGION: DYNAMODB_LOCAL_REGION,
  };
}

/** An AWS environment in which the SDK's default chain finds no credentials and no region. */
export function noCredentialsEnvironment(): Record<string, string | undefined> {
  return {
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_DEFAULT_PROFILE: undefined,
    AWS_REGION: undefined,
    AWS_DEFAULT_REGION: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_CONFIG_FILE: `${NO_FILE}/config`,
    AWS_SHARED_CREDENTIALS_FILE: `${NO_FILE}/credentials`,
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

/**
 * Sets `environment` in this process for the current test (vitest undoes it after each test with
 * `unstubEnvs`), for in-process runs of the CLI.
 */
export function stubEnvironment(environment: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(environment)) {
    vi.stubEnv(name, value);
  }
}
