/**
 * How to read a causal chain's marks, said under `why`'s chain and in `why --help`. Kept apart
 * from the renderer so that the help (loaded for every command) imports nothing heavy.
 */

/** The legend for a chain drawn with these marks (`CHAIN_MARKS`, or their ASCII stand-ins). */
export function chainLegend(
  marks: { readonly cause: string; readonly context: string } = { cause: "→", context: "·" },
): string {
  return `${marks.cause} caused by the step before (a trace cause link); ${marks.context} context, not caused by the step before (why it is there in brackets); no mark: a root, caused by nothing in the trace`;
}
