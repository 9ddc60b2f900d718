/** What `promise` rejects with; throws when it resolves instead, so that a test cannot pass by mistake. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

/** What `action` throws; throws when it returns instead, so that a test cannot pass by mistake. */
export function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected the action to throw");
}
