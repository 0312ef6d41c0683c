#!/usr/bin/env node
// The aftershock command: the compiled CLI lives in dist/ (built by `npm install` via prepare).
import { runBinary } from "../dist/src/cli/main.js";

await runBinary();
