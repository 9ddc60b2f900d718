// The emulators of the repository's test setup.
export * from "../../../../test/support/dynamodb-clients.js";
