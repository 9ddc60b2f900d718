import { defaultExternalConditions, defaultServerConditions } from "vite";

// Without Vite's "module" condition: it would resolve dependencies such as the AWS SDK to their
// bundler-only builds (extensionless imports) and hand those to Node.js.
const conditions = ["@projectionkit/source", ...defaultServerConditions.filter((condition) => condition !== "module")];
const externalConditions = ["@projectionkit/source", ...defaultExternalConditions];

/**
 * How vitest resolves the workspace packages: to their TypeScript sources, through the
 * `@projectionkit/source` export condition. Shared by the root configuration and the child runs
 * that the conformance kit's own tests start.
 */
export const sourceResolution = {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions } },
};
