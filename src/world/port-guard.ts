/**
 * A guard around the objects of the Runtime port that refuses a name the port does not have.
 * Without it, a scheduler module that calls `rt.store.claimDueTasks(…)` (a typo, or a call it
 * remembers from another API) panics in V8's words, `yield* (intermediate value) is not
 * iterable`, which names neither the call nor the port. With it, the panic names the call and
 * what the port has. A bundled scheduler never reads such a name, so its runs trace alike.
 */

/**
 * Names read by the language or by common tools rather than by a scheduler (an `await` of the
 * object, `JSON.stringify`, test matchers): reading them must not be a panic.
 */
const PROBED: ReadonlySet<string> = new Set(["then", "toJSON", "asymmetricMatch", "$$typeof", "nodeType"]);

/** `port` as seen by a scheduler: reading a string key it lacks (`name.key`) throws a TypeError. */
export function guardedPort<T extends object>(port: T, name: string, calls: readonly string[]): T {
  return new Proxy(port, {
    get(target, key, receiver) {
      if (typeof key === "string" && !(key in target) && !PROBED.has(key))
        throw new TypeError(
          `${name}.${key} is not part of the Runtime port (${name} has ${calls.join(", ")})`,
        );
      return Reflect.get(target, key, receiver);
    },
  });
}
