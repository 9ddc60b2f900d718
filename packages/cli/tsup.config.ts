import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.config.base.ts";

// The library in ESM and CJS with declarations; the bin in ESM only (no declarations). The
// library's build cleans dist/ except the bin's files, as both builds run at once.
export default defineConfig([
  { ...packageBuild({ index: "src/index.ts" }), clean: ["!bin.*"] },
  { ...packageBuild({ bin: "src/bin.ts" }, ["esm"]), dts: false, clean: false },
]);
