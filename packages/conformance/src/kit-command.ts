import type * as fc from "fast-check";

/**
 * A command of the kit's model-based properties: always applicable (each command picks its target
 * from the model when it runs), made from what the case drew for it (`parameters`), and shown in a
 * counterexample by the call it made (`label`, set when it runs) or, before it ran, by what it was
 * going to do (`planned`).
 *
 * @internal
 */
export abstract class KitCommand<Model extends object, Real, Parameters = void> implements fc.AsyncCommand<Model, Real> {
  /** What the case drew for the command: indexes into the model's resources and versions, and choices. */
  protected readonly parameters: Parameters;
  /** The call the command made, with the resource and versions it picked; empty until it runs. */
  protected label = "";

  constructor(parameters: Parameters) {
    this.parameters = parameters;
  }

  check(): boolean {
    return true;
  }

  abstract run(model: Model, real: Real): Promise<void>;

  /** What the command is going to do, in terms of its parameters. */
  protected abstract planned(): string;

  toString(): string {
    return this.label || this.planned();
  }
}
