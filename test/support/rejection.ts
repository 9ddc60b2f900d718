/** What `promise` rejects with; throws when it resolves instead, so that a test cannot pass by mistake. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}
