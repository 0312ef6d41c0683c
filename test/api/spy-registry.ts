// The shipped example module under a name the runs give it, its `create` recording every fix list it is given: for the tests that a fix the module does not list never reaches it.
import { join } from "node:path";
import { bundledSchedulers } from "../../src/schedulers/index.js";
import type { SchedulerFactory } from "../../src/world/runtime.js";

/** The bundled schedulers and `examples/reintroduced-bug1.mjs` as `name`, and every fix list its `create` was given. */
export async function spyRegistry(name: string): Promise<{
  readonly schedulers: Map<string, SchedulerFactory>;
  readonly made: string[][];
}> {
  const example = join(import.meta.dirname, "..", "..", "examples", "reintroduced-bug1.mjs");
  const { scheduler } = (await import(example)) as { scheduler: SchedulerFactory };
  const made: string[][] = [];
  const spy: SchedulerFactory = {
    ...scheduler,
    create: (fixes) => {
      made.push([...fixes]);
      return scheduler.create(fixes);
    },
  };
  return { schedulers: bundledSchedulers().set(name, spy), made };
}
