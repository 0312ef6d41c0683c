/**
 * How a module's file name goes into its reproducers' names (`generated-module-<stem>-…`): as
 * much of it as a scenario name can spell, and, where letters had to go, a short hash of the name
 * that tells such modules apart.
 */
import { createHash } from "node:crypto";
import { basename } from "node:path";
import { asScenarioName } from "../../scenario/schema.js";

/** Hex digits of the name's hash: enough that two module names in one folder do not meet. */
const HASH_DIGITS = 8;

/**
 * `mine` for `mods/mine.mjs`: a file name's part without its folder and extension, as a scenario
 * name may spell it (lowercase letters, digits, dashes: `my-bug-v2` for `My Bug_v2.mjs`), since a
 * reproducer's world is named as its file. Accents go, not their letters (`mon-bug-v2` for
 * `Mön Bug_v2.mjs`). A letter or digit no scenario name spells (`日本.mjs`) is replaced by a hash
 * of the file name, alone or after what was kept (`v2-…` for `日本-v2.mjs`): without it, every
 * all-CJK module would be `module`, and their reproducers would meet. The hash is of the name,
 * not the path, so the stem is the same on every machine and from every folder.
 */
export function moduleStem(path: string): string {
  const name = basename(path)
    .replace(/\.[^.]*$/, "")
    .normalize("NFC");
  const unaccented = name.normalize("NFKD").replace(/\p{M}/gu, "");
  const stem = asScenarioName(unaccented);
  const lost = /[^\p{ASCII}]/u.test(unaccented.replace(/[^\p{L}\p{N}]/gu, ""));
  if (!lost) return stem === "" ? "module" : stem;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, HASH_DIGITS);
  return stem === "" ? hash : `${stem}-${hash}`;
}
