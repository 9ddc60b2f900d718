// The shared DynamoDB Local of the repository's test setup (test/support/dynamodb-local-setup.ts).
export { describeOnDynamoDBLocal } from "../../../test/support/dynamodb-clients.js";
