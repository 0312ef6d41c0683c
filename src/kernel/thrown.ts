/**
 * A thrown value as text, whatever it is. The code under test may throw anything: `null`, a
 * string, a Symbol, an Error whose `message` is a getter that throws, an object whose `toString`
 * throws, a Proxy whose every trap throws. Turning such a value into text must not throw in turn:
 * where the kernel or the world describes a panic, a second exception would escape the simulator
 * and read as a broken invariant, when the run only met a panic of the code under test.
 */

/** `Name: message` for an Error, `String(value)` otherwise; a safe description if either throws. */
export function thrownText(value: unknown): string {
  try {
    if (value instanceof Error) return `${value.name}: ${value.message}`;
    return String(value);
  } catch {
    return unreadableThrown(value);
  }
}

/** The message of an Error, `String(value)` otherwise; a safe description if either throws. */
export function thrownMessage(value: unknown): string {
  try {
    if (value instanceof Error) return String(value.message);
    return String(value);
  } catch {
    return unreadableThrown(value);
  }
}

/** What can be said of a value that could not be turned into text: its type, read without traps. */
function unreadableThrown(value: unknown): string {
  // `typeof` runs no code of the value, where `instanceof` or `Object.prototype.toString` may.
  const kind =
    typeof value === "function" ? "a function" : typeof value === "object" ? "an object" : typeof value;
  return `${kind} that could not be turned into text (reading its message or its toString threw)`;
}
