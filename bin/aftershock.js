#!/usr/bin/env node
// The aftershock command. `npm install` builds it (via prepare): tsc compiles src/ to dist/src,
// and scripts/bundle.mjs bundles that into dist/bundle/cli, which starts in a fraction of the
// time. Without the bundle (tsc alone was run) the compiled modules serve.
import { existsSync } from "node:fs";

const bundled = new URL("../dist/bundle/cli/main.js", import.meta.url);
const compiled = new URL("../dist/src/cli/main.js", import.meta.url);
const entry = [bundled, compiled].find((url) => existsSync(url));
if (entry === undefined) {
  process.stderr.write("aftershock: not built yet; run `npm install` (or `npm run build`) in its folder\n");
  process.exit(4);
}
const { runBinary } = await import(entry.href);
await runBinary();
