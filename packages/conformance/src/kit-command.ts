import type * as fc from "fast-check";

/**
 * A command of the kit's model-based properties: always applicable (each command picks its target
 * from the model when it runs), and shown in a counterexample by the call it made.
 *
 * @internal
 */
export abstract class KitCommand<Model extends object, Real> implements fc.AsyncCommand<Model, Real> {
  check(): boolean {
    return true;
  }

  abstract run(model: Model, real: Real): Promise<void>;

  abstract toString(): string;
}
