import {
  type Alias,
  type Document,
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseAllDocuments,
  parseDocument,
  visit,
} from "yaml";
import { DEFAULT_CAPS } from "./caps.js";
import { indentationSlips } from "./indent-hint.js";
import { describeValue, type IssueCode, type PathKey } from "./issue.js";
import { MERGE_KEY_MESSAGE, mergeKeyOffsets } from "./merge-keys.js";
import { withoutTabFollowOns } from "./tab-indent.js";
import { aliasExpansionPast, aliasesBeforeAnchors, toData } from "./yaml-aliases.js";

/**
 * Scenario text (YAML, or JSON, which is YAML) parsed into plain data plus a map from document
 * paths back to line and column, so that every issue, and later the CI gate, can point at the
 * line that caused it.
 */

export interface Position {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export interface SyntaxIssue extends Position {
  readonly code: IssueCode;
  readonly message: string;
}

/**
 * A mapping key that is not a plain name: a list or mapping (`? [a, b]`) or null (`~:`). Such
 * keys are taken out of the data (JavaScript objects have only text keys, and would turn
 * `[a, b]` into the text "a,b" with a warning on stderr) and reported where they were written.
 */
export interface OddKey extends Position {
  /** The mapping that holds the key. */
  readonly path: readonly PathKey[];
  /** `a null key`, `a key that is not a plain name`. */
  readonly description: string;
  /** The key as written (shortened). */
  readonly text: string;
}

export type LoadResult =
  | {
      readonly ok: true;
      readonly data: unknown;
      readonly map: SourceMap;
      readonly oddKeys: readonly OddKey[];
    }
  | { readonly ok: false; readonly issues: readonly SyntaxIssue[] };

/** The most aliases a document may expand; bounds the "billion laughs". */
const ALIAS_COUNT_MAX = 100;

/**
 * Parses `text`; YAML errors (and warnings: a CI gate should not guess) come back as issues.
 * `expandedCharsMax` bounds the document with its aliases expanded (the file's own size cap).
 */
export function loadDocument(written: string, expandedCharsMax = DEFAULT_CAPS.textCharsMax): LoadResult {
  // A carriage return alone ends a line in YAML 1.2 (old Mac files), but yaml reads it as a space,
  // so a first comment line swallows the file. Made a line feed, each character keeps its offset.
  const text = written.replace(/\r(?!\n)/g, "\n");
  const lineCounter = new LineCounter();
  const doc = readDocument(text, lineCounter);
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  // Before anything walks the document by recursion; yaml's own gave out where it stopped.
  const deep = nestedPast(doc, NESTING_DEPTH_MAX);
  if (deep !== null) {
    const message = `nested too deeply (more than ${NESTING_DEPTH_MAX} levels of lists and mappings): a scenario needs a few; close the brackets or indentation that were left open, or write the value flatter`;
    return { ok: false, issues: [{ ...position(deep), code: "too-large", message }] };
  }
  // An empty document after the scenario (a trailing `---`, an editor's or a generator's habit)
  // holds nothing to lose: only a second document with content is one too many.
  const errors = doc.errors.filter((e) => e.code !== "MULTIPLE_DOCS" || !onlyEmptyAfterFirst(text));
  const lined = [...errors, ...doc.warnings].map((error) => ({
    error,
    line: position(error.pos[0]).line,
    code: error.code,
  }));
  const problems = withoutTabFollowOns(lined, text, problemLines).map(({ error }) => error);
  if (problems.length > 0) {
    const repeated = problems.some((e) => e.code === "DUPLICATE_KEY") ? repeatedKeys(doc) : new Map();
    const issues = problems.map((error) => {
      const again = error.code === "DUPLICATE_KEY" ? repeatAt(repeated, error.pos[0], text) : undefined;
      const first = again === undefined ? undefined : position(again.firstOffset);
      return {
        ...position(again?.offset ?? error.pos[0]),
        code: "syntax" as const,
        message:
          error.code === "MULTIPLE_DOCS"
            ? `a scenario file holds one YAML document; found ${parseAllDocuments(text).length} (separated by ---)`
            : again !== undefined && first !== undefined
              ? `syntax error: ${firstLine(error.message)}: \`${again.key}\` is given twice (first at line ${first.line}, column ${first.column})`
              : (yaml11TypeNote(error.message) ?? `syntax error: ${firstLine(error.message)}`),
      };
    });
    return {
      ok: false,
      issues: withIndentationHint(onePerLine(issues.map((i) => withQuoteHint(i, text))), text),
    };
  }
  // Before the aliases: the alias of a merge key is no problem once the key is written out.
  const merges = mergeKeyOffsets(doc);
  if (merges.length > 0) {
    return {
      ok: false,
      issues: merges.map((offset) => ({
        ...position(offset),
        code: "syntax" as const,
        message: MERGE_KEY_MESSAGE,
      })),
    };
  }
  // yaml finds these only while converting, and throws without a position: find them first.
  const unanchored = aliasesBeforeAnchors(doc, text, position);
  if (unanchored.length > 0) {
    return { ok: false, issues: unanchored.map((problem) => ({ ...problem, code: "syntax" as const })) };
  }
  const bomb = aliasExpansionPast(doc, text, expandedCharsMax, position);
  if (bomb !== null) return { ok: false, issues: [{ ...bomb, code: "too-large" }] };
  const oddKeys: OddKey[] = [];
  takeOddKeys(doc, doc.contents, [], text, position, oddKeys);
  const converted = toData(doc, ALIAS_COUNT_MAX, position);
  if (!converted.ok) return { ok: false, issues: [{ ...converted.problem, code: "syntax" }] };
  const { data } = converted;
  return { ok: true, data, map: new SourceMap(doc, position), oddKeys };
}

/** Whether every YAML document of `text` after the first is empty (nothing but comments, if that). */
function onlyEmptyAfterFirst(text: string): boolean {
  return parseAllDocuments(text)
    .slice(1)
    .every(
      (d) =>
        d.errors.length === 0 &&
        isScalar(d.contents) &&
        d.contents.value === null &&
        d.contents.source === "" &&
        d.contents.anchor === undefined &&
        d.contents.tag === undefined,
    );
}

/** The YAML document of `text`, read as every scenario is read. */
function readDocument(text: string, lineCounter: LineCounter): Document.Parsed {
  return parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    version: "1.2",
    schema: "core",
    // yaml reads YAML 1.1's !!omap, !!set, ... even in 1.2 as a Map, Set, Buffer or Date, which
    // the schema takes for an empty mapping: left unresolved, they are reported where written.
    resolveKnownTags: false,
  });
}

/** The line and kind of each error and warning yaml finds in `text`. */
function problemLines(text: string): { line: number; code: string }[] {
  const lineCounter = new LineCounter();
  const doc = readDocument(text, lineCounter);
  return [...doc.errors, ...doc.warnings].map((e) => ({
    line: lineCounter.linePos(e.pos[0]).line,
    code: e.code,
  }));
}

/**
 * The deepest nesting of lists and mappings a scenario may have, the document's own mapping
 * counted: a scenario needs six or so. Reading, checking and converting a document recurse once
 * a level, and a few hundred levels exhaust the stack (`[[[...]]]` in a fuzzed file).
 */
const NESTING_DEPTH_MAX = 64;

/**
 * The offset of the first list or mapping (in document order) deeper than `depthMax`, or null.
 * Walks with a stack of its own, not by recursion: the document it guards may be thousands of
 * levels deep, as far as yaml got before its stack ran out (it keeps what it had read).
 */
function nestedPast(doc: Document, depthMax: number): number | null {
  const pending: [unknown, number][] = [[doc.contents, 1]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (!isCollection(node)) continue;
    if (depth > depthMax) return node.range?.[0] ?? 0;
    const children = isMap(node) ? node.items.flatMap((pair) => [pair.key, pair.value]) : node.items;
    for (let i = children.length - 1; i >= 0; i--) pending.push([children[i], depth + 1]);
  }
  return null;
}

/** The most characters of an odd key shown in a message. */
const ODD_KEY_CHARS_MAX = 40;

/** Removes the odd keys of every mapping under `node` (aliases are walked where their anchor is). */
function takeOddKeys(
  doc: Document,
  node: unknown,
  path: readonly PathKey[],
  text: string,
  position: (offset: number) => Position,
  out: OddKey[],
): void {
  if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) takeOddKeys(doc, item, [...path, i], text, position, out);
    return;
  }
  if (!isMap(node)) return;
  node.items = node.items.filter((pair) => {
    const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
    const odd = isCollection(key)
      ? "a key that is not a plain name"
      : isScalar(key) && key.value === null
        ? "a null key"
        : null;
    if (odd === null) {
      if (isScalar(key)) takeOddKeys(doc, pair.value, [...path, String(key.value)], text, position, out);
      return true;
    }
    const range = (pair.key as Node | null)?.range;
    const written = range ? text.slice(range[0], range[1]).replace(/\s+/g, " ").trim() : "";
    const shown =
      written.length > ODD_KEY_CHARS_MAX ? `${written.slice(0, ODD_KEY_CHARS_MAX - 1)}…` : written;
    // An empty key (`: 2`) has no text of its own: it sits where its value starts.
    const at = range && written !== "" ? range[0] : ((pair.value as Node | null)?.range?.[0] ?? 0);
    out.push({
      path,
      ...position(at),
      description: odd,
      text: shown,
    });
    return false;
  });
}

/**
 * Where the value at `path` of a YAML or JSON text is (its nearest part there; its key with
 * `atKey`), as a scenario file's values are found: for the other files read as JSON (a golden
 * file, a saved session), whose problems are said at their line and column. 1:1 when the text
 * does not parse.
 */
export function textPosition(text: string, path: readonly PathKey[], atKey = false): Position {
  const loaded = loadDocument(text);
  return loaded.ok ? loaded.map.nearest(path, atKey) : { line: 1, column: 1 };
}

/** Where the nodes of one parsed document are. */
export class SourceMap {
  constructor(
    private readonly doc: Document,
    private readonly position: (offset: number) => Position,
  ) {}

  /**
   * The position of the value at `path`, or null if the document has no such path. A scalar or
   * a one-line `{...}`/`[...]` is pointed at itself; a block mapping or list at its key, which
   * is the line a reader looks for; a list item at its first character.
   */
  locate(path: readonly PathKey[]): Position | null {
    const found = this.walk(path);
    return found.depth === path.length ? this.positionOf(found, false) : null;
  }

  /** Like `locate`, but for the key itself when `atKey`, and falling back to the deepest ancestor found. */
  nearest(path: readonly PathKey[], atKey = false): Position {
    const found = this.walk(path);
    return this.positionOf(found, atKey && found.depth === path.length);
  }

  /**
   * The text the number at `path` is written as, where `shown` quotes it as read and reads
   * otherwise: `123456789012345678901234` read as 1.2345678901234569e+23, `1e308` as 1e+308,
   * `1e400` as .inf. Null for anything else: a value that is no number, one that reads as
   * written, and a `shown` that says something other than the number (a cap's estimate, "up to 300,000").
   */
  writtenNumber(path: readonly PathKey[], shown: string): string | null {
    const found = this.walk(path);
    const { node } = found;
    if (found.depth !== path.length || !isScalar(node) || typeof node.value !== "number") return null;
    const written = node.source;
    if (typeof written !== "string" || shown !== describeValue(node.value) || written === shown) return null;
    // .nan and .inf keep the one spelling `describeValue` gives them; 1e400, read as .inf, does not.
    return /^[-+]?\.(?:inf|nan)$/i.test(written) ? null : written;
  }

  /**
   * For a value written as a bare `>` or `|` with nothing under it (`op: >` in block style), that
   * YAML read it as an empty block of text, so the "" an issue quotes is not what was typed. Null
   * for anything else.
   */
  emptyBlockNote(path: readonly PathKey[]): string | null {
    const found = this.walk(path);
    const { node } = found;
    if (found.depth !== path.length || !isScalar(node) || node.value !== "") return null;
    const header = node.type === "BLOCK_FOLDED" ? ">" : node.type === "BLOCK_LITERAL" ? "|" : null;
    if (header === null) return null;
    return `\`${header}\` unquoted begins a block of text in YAML, empty here: quote it, "${header}", to mean the character`;
  }

  /**
   * For a path reached through an alias, which value the alias copies and where that value is
   * written (`positionOf` points at the alias): "the value of &d, at line 5, column 9". Null for a
   * path reached without one.
   */
  aliasNote(path: readonly PathKey[]): string | null {
    const { alias } = this.walk(path);
    const target = alias === null ? undefined : (alias.resolve(this.doc) as Node | undefined);
    if (alias === null || target?.range == null) return null;
    const { line, column } = this.position(target.range[0]);
    return `the value of &${alias.source}, at line ${line}, column ${column}`;
  }

  private positionOf(found: Found, atKey: boolean): Position {
    // A value copied by an alias is pointed at where it is used, not where it is written; the
    // key of an aliased value is written where it is used already.
    const keyOfAliased = atKey && found.aliasDepth === found.depth;
    if (found.alias?.range && !keyOfAliased) return this.position(found.alias.range[0]);
    const { node, pair } = found;
    const keyNode = pair && isScalar(pair.key) ? pair.key : null;
    if (keyNode?.range && (atKey || node === null || !node.range || (isCollection(node) && !node.flow))) {
      return this.position(keyNode.range[0]);
    }
    if (node?.range) return this.position(node.range[0]);
    return { line: 1, column: 1 };
  }

  private walk(path: readonly PathKey[]): Found {
    const root = this.doc.contents as Node | null;
    let found: Found = { node: this.resolve(root), pair: null, depth: 0, alias: null, aliasDepth: 0 };
    for (const key of path) {
      const next = this.step(found.node, key);
      if (next === null) return found;
      const depth = found.depth + 1;
      const node = this.resolve(next.written);
      // The outermost alias on the path is where the copied value is used.
      if (found.alias === null && isAlias(next.written)) {
        found = { node, pair: next.pair, depth, alias: next.written, aliasDepth: depth };
      } else found = { ...found, node, pair: next.pair, depth };
    }
    return found;
  }

  /** The node under `key` of `node` as written (an alias unresolved), with its pair in a mapping. */
  private step(node: Node | null, key: PathKey): { written: Node | null; pair: Pair | null } | null {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && keyText(item) === String(key));
      if (!pair) return null;
      return { written: (pair.value as Node | null) ?? null, pair };
    }
    if (isSeq(node) && typeof key === "number") {
      const item = node.items[key] as Node | undefined;
      return item === undefined ? null : { written: item, pair: null };
    }
    return null;
  }

  private resolve(node: Node | null | undefined): Node | null {
    if (node === null || node === undefined) return null;
    return isAlias(node) ? ((node.resolve(this.doc) as Node | undefined) ?? null) : node;
  }
}

interface Found {
  readonly node: Node | null;
  readonly pair: Pair | null;
  readonly depth: number;
  /** The first alias the path went through, if any, and the depth of the value it stands for. */
  readonly alias: Alias | null;
  readonly aliasDepth: number;
}

function keyText(pair: Pair): string | null {
  const key = pair.key;
  if (isScalar(key)) return String(key.value);
  return null;
}

/**
 * The first syntax error of each line: yaml often reports one slip several times over on its line
 * ("Implicit keys need to be on a single line", "Implicit map keys need to be followed by map
 * values", ...), which only hides the next line's.
 */
function onePerLine<T extends Position>(issues: readonly T[]): T[] {
  const lines = new Set<number>();
  return issues.filter((issue) => !lines.has(issue.line) && lines.add(issue.line));
}

/** A comparison written bare where a value starts (`op: >=`, `[!=]`), for `withQuoteHint`. */
const BARE_COMPARISON = /(?<=^|[\s{[,])(?:>=?|!=)(?=[\s,}\]]|$)/g;

/**
 * The issue, told to quote a comparison written bare on its line where yaml reports it: `>` begins a
 * block of text (`op: >=` is "Block scalar header includes extra characters"), `!` a tag (`op: !=`
 * is "Unresolved tag"), so yaml's words never say that `op` wanted a string. Put at the comparison.
 */
function withQuoteHint<T extends Position & { message: string }>(issue: T, text: string): T {
  const lineText = text.split("\n")[issue.line - 1] ?? "";
  for (const match of lineText.matchAll(BARE_COMPARISON)) {
    const start = match.index + 1;
    if (issue.column < start || issue.column > start + match[0].length) continue;
    const read = match[0].startsWith(">") ? "> as the start of a block of text" : "! as a tag";
    const hint = `quote the comparison, "${match[0]}": YAML reads a bare ${read}`;
    return { ...issue, column: start, message: `${issue.message} — ${hint}` };
  }
  return issue;
}

/**
 * The issues, each told which line an indentation slip near it is on, if any (a slip told once:
 * yaml often reports one slip on two lines).
 */
function withIndentationHint<T extends Position & { message: string }>(issues: T[], text: string): T[] {
  if (issues.length === 0) return issues;
  const slips = indentationSlips(
    text,
    issues.map((issue) => issue.line),
  );
  return issues.map((issue, i) => {
    const slip = slips[i];
    if (slip === null) return issue;
    // yaml puts some such errors at the line's first column: the slip's line is better told where its text starts.
    const column = issue.line === slip.line && issue.column === 1 ? slip.indent + 1 : issue.column;
    return { ...issue, column, message: `${issue.message} — ${slip.hint}` };
  });
}

/**
 * Each key given again in its mapping, by the offset of the repeat (where yaml reports it): the
 * key and the offset of its first occurrence, so that the message can point at both.
 */
function repeatedKeys(doc: Document): Map<number, { key: string; firstOffset: number }> {
  const repeated = new Map<number, { key: string; firstOffset: number }>();
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || pair.key.range == null) continue;
        const key = String(pair.key.value);
        const firstOffset = seen.get(key);
        if (firstOffset === undefined) seen.set(key, pair.key.range[0]);
        else repeated.set(pair.key.range[0], { key, firstOffset });
      }
    },
  });
  return repeated;
}

/** What to write instead of each YAML 1.1 type yaml knows, by its tag. */
const YAML_11_TYPES: ReadonlyMap<string, string> = new Map([
  ["omap", "a plain mapping ({ key: value, ... })"],
  ["set", "a plain mapping ({ key: value, ... })"],
  ["pairs", "a plain list ([...])"],
  ["binary", "a plain value"],
  ["timestamp", "a plain value"],
]);

/** The message for a YAML 1.1 type left unresolved (yaml's `Unresolved tag: tag:yaml.org,2002:omap`), else null. */
function yaml11TypeNote(message: string): string | null {
  const name = /^Unresolved tag: tag:yaml\.org,2002:(\w+)/.exec(message)?.[1];
  const instead = name === undefined ? undefined : YAML_11_TYPES.get(name);
  if (instead === undefined) return null;
  return `\`!!${name}\` is a type of YAML 1.1, and scenario files are read as YAML 1.2, which does not have it: write ${instead} without the tag`;
}

/**
 * The repeated key yaml reports at `offset`: the first one there or after it. yaml reports a key
 * at the end of the value before it, which is before the key itself when that value is empty
 * (`name:` then `name: a` is reported at the end of the first line). Only blanks and comments
 * may stand between the two.
 */
function repeatAt(
  repeated: ReadonlyMap<number, { key: string; firstOffset: number }>,
  offset: number,
  text: string,
): { key: string; firstOffset: number; offset: number } | undefined {
  let found: { key: string; firstOffset: number; offset: number } | undefined;
  for (const [at, again] of repeated) {
    if (at >= offset && (found === undefined || at < found.offset)) found = { ...again, offset: at };
  }
  return found !== undefined && /^(?:\s|#[^\n]*)*$/.test(text.slice(offset, found.offset))
    ? found
    : undefined;
}

function firstLine(message: string): string {
  return message.split("\n")[0];
}
