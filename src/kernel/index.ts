export * from "./event-queue.js";
export * from "./ids.js";
export * from "./invariant.js";
export * from "./process.js";
export * from "./random.js";
export * from "./simulation.js";
export * from "./time.js";
export * from "./trace.js";
