// The shared DynamoDB Local of the repository's test setup (test/support/dynamodb-local-setup.ts).
export { describeOnDynamoDBLocal, dynamoDBLocalUnavailable, localClient, uniqueTableName } from "../../../../test/support/dynamodb-clients.js";
