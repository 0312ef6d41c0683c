export * from "./schedule.js";
export * from "./verbs.js";
