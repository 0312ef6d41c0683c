import { type Alias, type Document, isAlias, isNode, type Node, visit } from "yaml";

/**
 * The ways a YAML alias can break a document that parsed: naming no anchor before it, and
 * expanding past the alias budget (in copies, or in characters). The yaml library finds both only while it converts the
 * document to data, and throws without saying where; these find the alias itself.
 */

/** 1-based line and column of a character offset. */
type Locate = (offset: number) => { readonly line: number; readonly column: number };

/** A problem at one alias, placed. */
export interface AliasProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/**
 * Every alias that names no anchor earlier in the document. YAML resolves `*name` to the last
 * `&name` before it in document order (keys before values), the order yaml's `Alias.resolve`
 * walks; an anchor further down does not count.
 */
export function aliasesBeforeAnchors(doc: Document, text: string, locate: Locate): AliasProblem[] {
  const anchorOffsets = new Map<string, number>();
  visit(doc, (_key, node) => {
    if (isNode(node) && !isAlias(node) && node.anchor && !anchorOffsets.has(node.anchor)) {
      // The node starts at its content; its `&name` is the last one written before that.
      const start = node.range?.[0] ?? 0;
      const written = text.lastIndexOf(`&${node.anchor}`, start);
      anchorOffsets.set(node.anchor, written === -1 ? start : written);
    }
  });
  const defined = new Set<string>();
  const problems: AliasProblem[] = [];
  visit(doc, (_key, node) => {
    if (!isNode(node)) return;
    if (!isAlias(node)) {
      if (node.anchor) defined.add(node.anchor);
      return;
    }
    if (defined.has(node.source)) return;
    const name = node.source;
    const later = anchorOffsets.get(name);
    let message = `alias *${name} names no anchor: nothing in the document is marked &${name}; mark the value with &${name} above its first use, or write the value out here`;
    if (later !== undefined) {
      const { line, column } = locate(later);
      message = `alias *${name} is used before its anchor &${name} (line ${line}, column ${column}): YAML requires an anchor to come before its aliases; move the anchored value above this line, or write the value out here`;
    }
    problems.push({ ...locate(node.range?.[0] ?? 0), message });
  });
  return problems;
}

/**
 * The first alias at which the document, its aliases expanded, grows past `charsMax`
 * characters. The alias count alone does not bound the size: 98 copies of a 6 MB string pass
 * it and make a value no report can be written from. Sizes are counted in source characters:
 * an alias adds the text of its anchored value, with the aliases inside that value expanded in
 * turn, less its own `*name`. Call it once `aliasesBeforeAnchors` found nothing.
 */
export function aliasExpansionPast(
  doc: Document,
  text: string,
  charsMax: number,
  locate: Locate,
): AliasProblem | null {
  const expanded = new Map<Node, number>();
  const open = new Set<Node>();
  /** The characters of `node` with its aliases expanded, memoised per node. */
  const charsOf = (node: Node): number => {
    const known = expanded.get(node);
    if (known !== undefined) return known;
    // An alias inside its own anchor is a reference back, not one more copy.
    if (open.has(node)) return 0;
    open.add(node);
    let chars = sourceChars(node);
    visit(node, {
      Alias(_key, alias) {
        chars += extraChars(alias);
      },
    });
    open.delete(node);
    expanded.set(node, chars);
    return chars;
  };
  const extraChars = (alias: Alias): number => {
    const target = alias.resolve(doc);
    return target === undefined ? 0 : Math.max(0, charsOf(target) - sourceChars(alias));
  };
  let total = text.length;
  let problem: AliasProblem | null = null;
  visit(doc, {
    Alias(_key, alias) {
      total += extraChars(alias);
      if (total <= charsMax) return undefined;
      const target = alias.resolve(doc)!; // it added characters, so it resolved
      // The value starts at its content; its `&name` is the last one written before that.
      const start = target.range?.[0] ?? 0;
      const written = text.lastIndexOf(`&${alias.source}`, start);
      const anchor = locate(written === -1 ? start : written);
      problem = {
        ...locate(alias.range?.[0] ?? 0),
        message: `alias *${alias.source} expands the document past ${charsMax} characters, the cap of a scenario file, which guards against alias bombs (the value it copies has ${charsOf(target)}); shorten the value anchored &${alias.source} (line ${anchor.line}, column ${anchor.column}), or use fewer aliases of it`,
      };
      return visit.BREAK;
    },
  });
  return problem;
}

/** The characters `node` spans in the source. */
function sourceChars(node: Node): number {
  return node.range ? node.range[1] - node.range[0] : 0;
}

export type ToDataResult =
  | { readonly ok: true; readonly data: unknown }
  | { readonly ok: false; readonly problem: AliasProblem };

/**
 * `doc.toJS`, with an error thrown while expanding an alias (past `maxAliasCount`, say) placed
 * at that alias: each alias records itself while it expands, and the innermost one still open
 * when the error escapes is the one that threw. Any other error is placed at the document start.
 * Call it once `aliasesBeforeAnchors` found nothing: an alias that fails to resolve then lost
 * its anchor with a key the loader took out (`? &k [a]`).
 */
export function toData(doc: Document, maxAliasCount: number, locate: Locate): ToDataResult {
  const expanding: Alias[] = [];
  visit(doc, {
    Alias(_key, alias) {
      const expand = alias.toJSON;
      alias.toJSON = (arg, ctx) => {
        expanding.push(alias);
        const value = expand.call(alias, arg, ctx);
        expanding.pop();
        return value;
      };
    },
  });
  try {
    // yaml counts the anchored value itself among its copies: `maxAliasCount` aliases of one
    // anchor are that many copies and one more for yaml, and are taken, as the README says.
    return { ok: true, data: doc.toJS({ maxAliasCount: maxAliasCount + 1 }) };
  } catch (error) {
    const thrown = error instanceof Error ? error.message : String(error);
    const alias = expanding.at(-1);
    if (alias === undefined)
      return { ok: false, problem: { line: 1, column: 1, message: `syntax error: ${thrown}` } };
    let message = `alias *${alias.source}: ${thrown}`;
    if (/excessive alias count/i.test(thrown)) {
      message = `alias *${alias.source} expands the document past ${maxAliasCount} copies of anchored values, the limit that guards against alias bombs; write the repeated values out, or nest fewer aliases`;
    } else if (/unresolved alias/i.test(thrown)) {
      message = `alias *${alias.source} refers to an anchor on a mapping key that is not a plain name, which a scenario cannot hold; put the anchor on a value`;
    }
    return { ok: false, problem: { ...locate(alias.range?.[0] ?? 0), message } };
  }
}
