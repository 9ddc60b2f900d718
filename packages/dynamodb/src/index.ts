/**
 * projectionkit on DynamoDB. The adapter is being built (issue 3); this entry point exports nothing
 * yet.
 *
 * @packageDocumentation
 */
export {};
