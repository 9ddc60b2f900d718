import { registerHooks } from "node:module";

/**
 * Loaded with `node --import` before the soak, the crash run and their worker processes: resolves
 * the workspace packages to their TypeScript sources (the `@projectionkit/source` export
 * condition), as the tests do, so that nothing needs a build. Node.js strips the types; the
 * sources import each other as `./x.js`, which is `./x.ts` on disk.
 */
const SOURCE_CONDITION = "@projectionkit/source";

registerHooks({
  resolve(specifier, context, nextResolve) {
    const withSources = context.conditions.includes(SOURCE_CONDITION)
      ? context
      : { ...context, conditions: [...context.conditions, SOURCE_CONDITION] };
    try {
      return nextResolve(specifier, withSources);
    } catch (error) {
      const typeScriptParent = context.parentURL?.endsWith(".ts") === true;
      if ((error as { code?: unknown }).code === "ERR_MODULE_NOT_FOUND" && typeScriptParent && specifier.endsWith(".js")) {
        return nextResolve(`${specifier.slice(0, -".js".length)}.ts`, withSources);
      }
      throw error;
    }
  },
});
