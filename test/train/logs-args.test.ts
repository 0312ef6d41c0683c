// Shows that `logs` takes one source and a count of at least one line, and says so when given more or less.
import { describe, expect, it } from "vitest";
import { newSession } from "./helpers.js";

describe("logs arguments", () => {
  it("names both sources when given two, rather than suggesting the one typed", () => {
    const session = newSession();
    for (const [command, first, second] of [
      ["logs w1 w2", "w1", "w2"],
      ["logs w1 supervisor", "w1", "supervisor"],
    ]) {
      const r = session.execute(command);
      expect(r.ok, command).toBe(false);
      expect(r.text, command).not.toContain(`did you mean ${second}?`);
      expect(r.text, command).toContain(`one source at a time (found ${first} and ${second})`);
    }
  });

  it("blames a bad count, not the valid source before it", () => {
    const session = newSession();
    session.execute("next");
    for (const [command, said] of [
      ["logs w3 -1", "the number of lines must be a whole number, at least 1, not -1 (logs w3 40)"],
      ["logs w3 2.5", "the number of lines must be a whole number, at least 1, not 2.5 (logs w3 40)"],
      ["logs -3", "the number of lines must be a whole number, at least 1, not -3 (logs w3 40)"],
      ["logs w3 abc", '"abc" is neither a number of lines nor a second source (logs w3 40)'],
    ]) {
      const r = session.execute(command);
      expect(r.ok, command).toBe(false);
      expect(r.text, command).toBe(`logs: ${said}`);
      expect(r.text, command).not.toContain("no source");
    }
    // A count with a plus sign is a count.
    expect(session.execute("logs w3 +2").text).toMatch(/^Logs of w3 \(last 2 lines\)/);
    // A word alone that is not a source is still said as a source it does not know.
    expect(session.execute("logs w33").text).toMatch(/^logs: no source "w33"; did you mean w3\?/);
  });

  it("refuses zero lines instead of showing one", () => {
    const session = newSession();
    session.execute("next");
    const r = session.execute("logs 0");
    expect(r.ok).toBe(false);
    expect(r.text).toContain("at least 1");
    expect(session.execute("logs 1").text).toMatch(/^Logs \(last 1 line\)/);
  });
});

describe("logs sources", () => {
  it("are read in any case, as commands are", () => {
    const session = newSession();
    session.execute("next");
    for (const [typed, source] of [
      ["logs Supervisor", "supervisor"],
      ["logs W1", "w1"],
    ]) {
      const r = session.execute(typed);
      expect(r.ok, r.text).toBe(true);
      expect(r.text).toBe(session.execute(`logs ${source}`).text);
    }
  });
});

describe("the ops log", () => {
  it("has the kills and restarts the operators made, what-ifs included, and no customer's deletion", () => {
    const session = newSession();
    session.execute("next");
    session.execute("what-if kill w1");
    session.execute("what-if restart w2");
    // Past the account's deletion (09:44:40), which the ops log must not show.
    session.execute("run 30s");
    const text = session.execute("logs ops 10").text;
    expect(text).toMatch(/ ops +INFO {2}operator: kill-worker w1\n/);
    expect(text).toMatch(/ ops +INFO {2}operator: restart-worker w2$/m);
    expect(text).not.toContain("delete-account");
  });
});

describe("quit", () => {
  it("takes no argument, as the other commands without one refuse theirs, and quits without one", () => {
    const session = newSession();
    const refused = session.execute("quit now");
    expect(refused.ok).toBe(false);
    expect(refused.text).toBe('quit takes no argument (found "now")');
    expect(refused.effects ?? []).toEqual([]);
    expect(session.execute("status extra").text).toBe('status takes no argument (found "extra")');
    expect(session.execute("quit").effects).toEqual([{ kind: "quit" }]);
  });
});
