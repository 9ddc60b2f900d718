// The one place the CLI's tests import the emulator harness from: when it moves to its own package,
// this line is all that changes.
export {
  createDynamoDBLocalClient,
  DYNAMODB_LOCAL_CREDENTIALS,
  DYNAMODB_LOCAL_REGION,
  startDynalite,
  startDynamoDBLocal,
  type Dynalite,
  type DynamoDBLocal,
} from "@projectionkit/dynamodb-testing";
