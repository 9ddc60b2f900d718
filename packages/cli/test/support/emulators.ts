// The one place the CLI's tests import the emulator harness from (the emulator matrix is the
// repository's, in test/support/dynamodb-clients.ts).
export { DYNAMODB_LOCAL_CREDENTIALS, DYNAMODB_LOCAL_REGION, startDynalite, type Dynalite } from "@projectionkit/dynamodb-testing";
