import { readFileSync } from "node:fs";

/**
 * aftershock's own version, from its package.json (`0.0.0` if it cannot be read): three folders
 * up from a built file (`dist/src/cli/`, `dist/bundle/cli/`), two from the source (`src/cli/`).
 */
export function packageVersion(): string {
  for (const up of ["../../../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "aftershock" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // Not there: the next candidate.
    }
  }
  return "0.0.0";
}
