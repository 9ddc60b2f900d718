import { AccessDeniedError, EndpointUnreachableError, NoCredentialsError, type RequestTarget } from "./cli-errors.js";

/** Errors of the service that mean "these credentials or permissions are refused". */
const REFUSED = new Set([
  "AccessDeniedException",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "ExpiredTokenException",
  "MissingAuthenticationTokenException",
  "IncompleteSignatureException",
]);

/** Node.js and SDK error codes that mean the endpoint did not answer at all. */
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "ECONNRESET", "EPIPE"]);

/**
 * Sends one request and turns the failures an operator can act on into typed errors: refused
 * credentials or permissions (`AccessDeniedError`), missing credentials (`NoCredentialsError`),
 * an endpoint that does not answer (`EndpointUnreachableError`). Every other error, and an abort,
 * propagates unchanged.
 *
 * @param target - where the request goes, for messages.
 * @param operation - the operation's name, for messages, e.g. `"Scan"`.
 * @param send - sends the request.
 * @returns what `send` resolves to.
 *
 * @internal
 */
export async function request<T>(target: RequestTarget, operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw translateFailure(error, target, operation);
  }
}

/**
 * The typed error for a failed request, or the error itself.
 *
 * @internal
 */
export function translateFailure(error: unknown, target: RequestTarget, operation: string): unknown {
  if (!(error instanceof Error) || error.name === "AbortError") {
    return error;
  }
  if (error.name === "CredentialsProviderError") {
    return new NoCredentialsError({ cause: error });
  }
  if (REFUSED.has(error.name)) {
    return new AccessDeniedError(operation, target, error);
  }
  if (isUnreachable(error)) {
    return new EndpointUnreachableError(target, error);
  }
  return error;
}

function isUnreachable(error: Error): boolean {
  if (error.name === "TimeoutError") {
    return true;
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && UNREACHABLE.has(code)) {
    return true;
  }
  // Node.js reports a failed connection to every address of a name as an AggregateError.
  return error instanceof AggregateError && error.errors.some((inner: unknown) => inner instanceof Error && isUnreachable(inner));
}
