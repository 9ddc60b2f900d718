// The emulators of the repository's test setup (test/support/dynamodb-clients.ts).
export {
  describeNeedingJava,
  describeOnDynamoDBLocal,
  describeOnEmulators,
  dynamoDBLocalUnavailable,
  emulatorForSuite,
  localClient,
  uniqueTableName,
  type TestEmulator,
} from "../../../../test/support/dynamodb-clients.js";
