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

/**
 * `port` as seen by a scheduler: reading a string key it lacks (`name.key`) throws a TypeError, and
 * so does reading any key where `stranger` says why the code running may not use this port (it
 * belongs to another process than the one running).
 */
export function guardedPort<T extends object>(
  port: T,
  name: string,
  calls: readonly string[],
  stranger: () => string | null = () => null,
): T {
  return new Proxy(port, {
    get(target, key, receiver) {
      if (typeof key === "string" && !PROBED.has(key)) {
        if (!(key in target))
          throw new TypeError(
            `${name}.${key} is not part of the Runtime port (${name} has ${calls.join(", ")})`,
          );
        const why = stranger();
        if (why !== null) throw new TypeError(`${name}.${key}: ${why}`);
      }
      return Reflect.get(target, key, receiver);
    },
  });
}
