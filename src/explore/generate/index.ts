/** Generators of scenario documents (fast-check arbitraries), reusable by users of aftershock. */
export * from "./document.js";
export * from "./document-yaml.js";
export * from "./fault-arbitrary.js";
export * from "./fleet-arbitrary.js";
export { type GeneratedPlanWorlds, worldOf } from "./plan-world.js";
export * from "./profiles.js";
export * from "./scenario-arbitrary.js";
export * from "./timeline-arbitrary.js";
export * from "./workload-arbitrary.js";
export * from "./world-context.js";
