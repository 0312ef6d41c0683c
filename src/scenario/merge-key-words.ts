/**
 * What is said of a YAML merge key (`<<`), apart from `merge-keys.ts`, which finds them in a parsed
 * document: the schema's issue translation words them too, on a worker thread that compiles
 * generated documents and never loads the YAML library.
 */

/** Why nothing is merged, and what to write instead. */
export const MERGE_KEYS_UNREAD =
  "YAML merge keys (`<<: *anchor`) belong to YAML 1.1, and scenario files are read as YAML 1.2, so nothing is merged: write the keys out (an alias may stand for a whole value)";

/** The message of a merge key. */
export const MERGE_KEY_MESSAGE = `merge key \`<<\`: ${MERGE_KEYS_UNREAD}`;
