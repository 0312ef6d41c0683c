/**
 * A thrown value as text, whatever it is. The code under test may throw anything: `null`, a
 * string, a Symbol, an Error whose `message` is a getter that throws, an object whose `toString`
 * throws, a Proxy whose every trap throws. Turning such a value into text must not throw in turn:
 * where the kernel or the world describes a panic, a second exception would escape the simulator
 * and read as a broken invariant, when the run only met a panic of the code under test.
 */

/**
 * `Name: message` for an Error, what an object that is no Error holds where `String()` of it says
 * nothing (a plain one by its fields, `{ code: 42 } (not an Error)`; another by its keys, `an
 * object with \`code\` (not an Error)`), a Date by its UTC instant, `String(value)` otherwise;
 * a safe description if any of them throws. Control characters are written out (`printableText`).
 */
export function thrownText(value: unknown): string {
  try {
    if (value instanceof Error) return printableText(`${value.name}: ${value.message}`);
    if (typeof value !== "object" || value === null) return printableText(String(value));
    // A Date's own text is in the machine's time zone, which a trace must not depend on.
    if (value instanceof Date)
      return `a Date, ${Number.isNaN(value.getTime()) ? "invalid" : value.toISOString()} (not an Error)`;
    // An object whose own text says what it holds (`toString`, a boxed string, a URL) by it.
    const text = Array.isArray(value) ? "" : String(value);
    if (text !== "" && !/^\[object [^\]]*\]$/.test(text)) return printableText(text);
    return printableText(`${fieldsText(value) ?? objectText(value)} (not an Error)`);
  } catch {
    return unreadableThrown(value);
  }
}

/**
 * An object by kind and first keys (`an object with \`code\``, `an array`, `a Map`), never
 * `String()` of one (which says `[object Object]`, or throws for one with its own `toString`).
 */
export function objectText(value: object): string {
  if (Array.isArray(value)) return value.length === 0 ? "an empty array" : "an array";
  if (value instanceof Map) return "a Map";
  // readFileSync without an encoding: not an object of keys `0`, `1`, … to the reader.
  if (value instanceof Uint8Array) return "a Buffer (bytes, not text)";
  if (Object.prototype.toString.call(value) === "[object Module]") return "a module namespace";
  const keys = Object.keys(value);
  if (keys.length === 0) return "an empty object";
  const shown = keys.slice(0, 6).map((k) => `\`${k}\``);
  return `an object with ${shown.join(", ")}${keys.length > 6 ? ", …" : ""}`;
}

/** How many of a thrown object's fields `fieldsText` shows, and the longest text it gives. */
const FIELDS_SHOWN = 6;
const FIELDS_TEXT_MAX = 160;

/**
 * A plain thrown object by its own fields as written (`{ code: 42, message: "boom" }`): the first
 * six, text and numbers by value, an object or a list by kind, a getter not run; null for one that
 * is not a plain object or has no fields (`objectText` says it).
 */
function fieldsText(value: object): string | null {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return null;
  const keys = Object.keys(value);
  if (keys.length === 0) return null;
  const fields = keys.slice(0, FIELDS_SHOWN).map((k) => {
    const field = Object.getOwnPropertyDescriptor(value, k);
    const name = /^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k);
    return `${name}: ${field !== undefined && "value" in field ? fieldValueText(field.value) : "(a getter)"}`;
  });
  const text = `{ ${fields.join(", ")}${keys.length > FIELDS_SHOWN ? ", …" : ""} }`;
  return text.length > FIELDS_TEXT_MAX ? `${text.slice(0, FIELDS_TEXT_MAX - 1)}…` : text;
}

function fieldValueText(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return "a function";
  if (value === null || typeof value !== "object") return String(value);
  return Array.isArray(value) ? "[…]" : "{…}";
}

/** The message of an Error, `String(value)` otherwise, as `thrownText`. */
export function thrownMessage(value: unknown): string {
  try {
    if (value instanceof Error) return printableText(String(value.message));
    return printableText(String(value));
  } catch {
    return unreadableThrown(value);
  }
}

/**
 * C0 controls but tab and newline, DEL and C1 controls: fewer than `escapeControls` (time.ts) on
 * purpose, since this shapes the trace's text (and its hash), which keeps a message's lines.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * `text` with each control character but tab and newline written as `\u001b`: text the code
 * under test makes (a panic's message, a log line) is printed to terminals, where an escape
 * sequence in it would be obeyed (hide the lines after it, clear the screen, move the cursor
 * over a verdict) and a NUL would reach a file or a pipe.
 */
export function printableText(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** What can be said of a value that could not be turned into text: its type, read without traps. */
function unreadableThrown(value: unknown): string {
  // `typeof` runs no code of the value, where `instanceof` or `Object.prototype.toString` may.
  const kind =
    typeof value === "function" ? "a function" : typeof value === "object" ? "an object" : typeof value;
  return `${kind} that could not be turned into text (reading its message or its toString threw)`;
}
