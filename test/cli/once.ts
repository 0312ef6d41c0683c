// Shares one run of a deterministic command among the tests of a file that ask for it.

/**
 * `run`, called once for each list of arguments it is given: asked again, the first call's
 * result (a promise is kept as it is, so callers at the same time share it too). Only for a
 * command that gives the same each time and writes no file another test changes.
 */
export function once<A extends unknown[], R>(run: (...args: A) => R): (...args: A) => R {
  const ran = new Map<string, R>();
  return (...args) => {
    const key = JSON.stringify(args);
    if (!ran.has(key)) ran.set(key, run(...args));
    return ran.get(key) as R;
  };
}
