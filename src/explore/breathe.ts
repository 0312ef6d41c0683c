/**
 * Lets the event loop run (signal handlers, progress) between two runs. Twice: a signal that came
 * during a run reaches its handler only on the second turn, and a long run (`interruptibleWallGuard`)
 * started before then would lose it.
 */
export async function breathe(): Promise<void> {
  await new Promise((done) => setImmediate(done));
  await new Promise((done) => setImmediate(done));
}
