/**
 * The spec of every command, as data and nothing else: help and parsing read these without
 * loading any command's implementation (and its dependencies), and each command module takes
 * its own spec from here, so the two never drift apart. Keep this module light: import only
 * data modules here.
 */

import { PROPERTY_NAMES } from "../../checks/types.js";
import { chainLegend } from "../chain-legend.js";
import {
  type CommandSpec,
  FIX_OPTION,
  REPORT_FILE_OPTIONS,
  SCHEDULER_ONCE,
  SCHEDULER_OPTION,
  SEED_OPTION,
  VARIANT_OPTIONS,
} from "../spec.js";

/** Where `explore` writes reproducers unless told otherwise. */
export const EXPLORE_OUT_DEFAULT = "aftershock-repro";

/** `--until`, as run and why take it. */
const UNTIL_OPTION = {
  flags: "--until <time>",
  description: "stop at a time: 10:00 (its first occurrence at or after the start), +15m or an ISO instant",
};

export const runSpec: CommandSpec = {
  name: "run",
  args: "<scenario>",
  stdin: "scenario",
  summary: "run a scenario once and narrate it (or print the RunReport with --json)",
  options: [
    ...VARIANT_OPTIONS,
    UNTIL_OPTION,
    { flags: "--json", description: "print exactly one JSON object: the RunReport" },
    { flags: "--trace <file.jsonl>", description: "write the full trace, one event per line", output: true },
    ...REPORT_FILE_OPTIONS,
    { flags: "--force", description: "replace output files not written by aftershock" },
    { flags: "--quiet", description: "print one summary line" },
  ],
  examples: [
    "aftershock run scenarios/qstash-2026-05-08.yaml",
    "aftershock run qstash-2026-05-08 --variant fixed",
    "aftershock run qstash-2026-05-08 --variant buggy --json > buggy.json",
    "aftershock run qstash-2026-05-08 --scheduler v2 --fix early-return --trace may8.jsonl",
    "aftershock run qstash-2026-05-08 --variant buggy --html buggy.html --perfetto buggy.trace.json",
  ],
};

export const compareSpec: CommandSpec = {
  name: "compare",
  args: "<scenario>",
  stdin: "scenario",
  summary: "run variants on the same world side by side, and show where they first diverge",
  options: [
    {
      flags: "--variants <list>",
      description:
        "comma-separated variants; each later run's first divergence is from the first variant's run (with --scheduler the default is fixed, so the comparison shows where the scheduler first behaves differently from the fixed v2: add buggy to see both)",
      defaultValue: "buggy,fixed",
      defaultWhenGiven: { flag: "--scheduler", value: "fixed" },
    },
    {
      ...SCHEDULER_OPTION,
      description: `${SCHEDULER_OPTION.description}; its run is one more column, after the variants`,
    },
    FIX_OPTION,
    SEED_OPTION,
    { flags: "--json", description: "print one JSON object: the RunReports and the divergence" },
    ...REPORT_FILE_OPTIONS,
    { flags: "--force", description: "replace output files not written by aftershock" },
  ],
  examples: [
    "aftershock compare scenarios/qstash-2026-05-08.yaml",
    "aftershock compare qstash-2026-05-08 --variants buggy,early-return,panic-recovery,fixed",
    "aftershock compare qstash-2026-05-08 --html may8.html --markdown may8.md",
    "aftershock compare qstash-2026-05-08 --scheduler ./mine.mjs --fix early-return,panic-recovery",
    "aftershock compare qstash-2026-05-08 --scheduler ./mine.mjs --variants fixed,buggy --json > mine.json",
  ],
};

export const whySpec: CommandSpec = {
  name: "why",
  args: "<scenario> <target>",
  stdin: "scenario",
  summary:
    "the causal chain from the root event to a crash (target: a worker such as w3 for its first panic death, w3#2 for its second, counting all its crashes if it never panicked, or a trace seq)",
  options: [...VARIANT_OPTIONS, UNTIL_OPTION, { flags: "--json", description: "print the chain as JSON" }],
  examples: [
    "aftershock why qstash-2026-05-08 w5",
    "aftershock why qstash-2026-05-08 w5#2 --variant buggy",
    "aftershock why qstash-2026-05-08 w3 --until 09:50",
  ],
  notes: `Marks: ${chainLegend()}.`,
};

export const reportSpec: CommandSpec = {
  name: "report",
  args: "<input>",
  stdin: "input",
  summary:
    "write an HTML, Markdown or Perfetto report from saved output: a RunReport (run --json), a comparison (compare --json) or a trace (--trace)",
  options: [
    {
      flags: "-o, --output <file>",
      description: "the report to write (.html, .md, or .json for Perfetto; - for stdout, with --format)",
      output: true,
    },
    {
      flags: "--format <format>",
      description: "html, markdown or perfetto (default: from the output's extension)",
      choices: ["html", "markdown", "perfetto"],
    },
    { flags: "--force", description: "replace an output file not written by aftershock" },
  ],
  examples: [
    "aftershock report buggy.json -o buggy.html            # buggy.json from run --json",
    "aftershock report may8.jsonl -o may8.html             # may8.jsonl from run --trace",
    "aftershock report may8.jsonl -o may8.trace.json       # for ui.perfetto.dev",
    "aftershock report compare.json --format markdown -o postmortem.md",
  ],
};

export const gateSpec: CommandSpec = {
  name: "gate",
  args: "[paths...]",
  summary: "CI gate: every scenario's expectations, each run twice (determinism) and against golden hashes",
  options: [
    { flags: "--junit <file>", description: "write JUnit XML (one testsuite per scenario)", output: true },
    {
      flags: "--markdown <file>",
      description: "write a Markdown summary (e.g. $GITHUB_STEP_SUMMARY)",
      output: true,
    },
    { flags: "--json", description: "print one JSON object (no timings) instead of the report" },
    { flags: "--jobs <n>", description: "worker threads for the runs (default: the number of cores)" },
    { flags: "--explore <n>", description: "also run the fixed variant at N more seeds per scenario" },
    {
      flags: "--scheduler <module>",
      description:
        "gate your own scheduler module (.js, .mjs, .cjs, .ts, .mts) in place of v2 (see docs/ci.md)",
      once: SCHEDULER_ONCE,
    },
    { flags: "--update-golden", description: "rewrite the golden trace hashes beside the scenarios" },
    {
      flags: "--require-golden",
      description: "fail a variant with no golden hash recorded (a missing golden file), not skip it",
    },
    { flags: "--force", description: "replace output files not written by aftershock" },
    { flags: "--verbose", description: "list passing explored seeds too" },
  ],
  examples: [
    "aftershock gate",
    'aftershock gate scenarios/ --junit gate.xml --markdown "$GITHUB_STEP_SUMMARY"   # in GitHub Actions',
    "aftershock gate scenarios/qstash-2026-05-08.yaml --scheduler examples/reintroduced-bug1.mjs   # in aftershock's own checkout",
    "aftershock gate node_modules/aftershock/scenarios/ --scheduler mine.mjs   # in a project that uses aftershock",
    "aftershock gate scenarios/ --update-golden",
  ],
};

export const exploreSpec: CommandSpec = {
  name: "explore",
  args: "[scenario]",
  summary: "search for failures over seeds or generated worlds, shrink them, write reproducers",
  options: [
    { flags: "--generated", description: "explore generated worlds instead of a scenario's seeds" },
    {
      flags: "--variant <name>",
      description:
        "scheduler: buggy, fixed (default), early-return, panic-recovery, v1; a scenario whose scheduler is a module runs the module unless --variant is given",
    },
    {
      flags: "--scheduler <module>",
      description:
        "with --generated: your scheduler module (.js, .mjs, .cjs, .ts, .mts) in place of v2, in the worlds --variant is explored in, with its fixes (default fixed); reproducers name it",
      once: SCHEDULER_ONCE,
    },
    { flags: "--runs <n>", description: "runs in the whole exploration (default 100 generated, 20 seeds)" },
    { flags: "--seed <n>", description: "master seed (default: 1, or the scenario's seed)" },
    {
      flags: "--jobs <n>",
      description:
        "worker threads (default: cores, at most 8, and for generated worlds one per 150 runs; never more than the runs)",
    },
    {
      flags: "--shard <i/n>",
      description: "run the i-th of n shards (CI matrices); join with aftershock merge",
    },
    {
      flags: "--properties <list>",
      description: `properties to judge (default: all but deterministic, and those the scenario expects not to hold for the variant explored): ${PROPERTY_NAMES.join(",")}`,
    },
    {
      flags: "--time-budget <duration>",
      description:
        "bound the exploration, shrinking included, e.g. 10m (runs under way finish, a scheduler module's within 10 s or cut short; each reproducer is replayed once)",
    },
    { flags: "--keep-going", description: "go on after a failure and collect every failure" },
    { flags: "--out <dir>", description: `folder for reproducers (default ${EXPLORE_OUT_DEFAULT})` },
    {
      flags: "--shrink-time <duration>",
      description: "real time shrinking may take per failure (default 2m; ends with --time-budget too)",
    },
    {
      flags: "--shrink-runs <n>",
      description: "runs each shrinking stage may spend per failure (default 300; 0: no shrinking)",
    },
    {
      flags: "--shrink-max <n>",
      description:
        "failures shrunk at most, in run order, per exploration or shard (default 5; later ones keep their world)",
    },
    { flags: "--json", description: "print one JSON object: the explore report (for aftershock merge)" },
    { flags: "--force", description: "replace files in --out not written by aftershock" },
  ],
  examples: [
    "aftershock explore --generated --runs 1000 --jobs 2",
    "aftershock explore --generated --variant early-return --out repro",
    "aftershock explore --generated --scheduler ./mine.mjs --runs 500 --out repro",
    "aftershock explore qstash-2026-05-08 --variant fixed --runs 50",
    "aftershock explore --generated --runs 10000 --shard 2/4 --json > shard-2.json",
  ],
};

export const mergeSpec: CommandSpec = {
  name: "merge",
  args: "<reports...>",
  summary: "join the --json reports of explore shards into the report of the whole exploration",
  options: [
    { flags: "--json", description: "print one JSON object: the merged explore report" },
    {
      flags: "--allow-missing",
      description: "merge even if some shards are missing or were interrupted (the report says which)",
    },
  ],
  examples: ["aftershock merge shard-1.json shard-2.json shard-3.json shard-4.json"],
};

export const trainSpec: CommandSpec = {
  name: "train",
  args: "<scenario>",
  summary:
    "a facilitator's training session: chapters, the on-call view, what-ifs, rewinds and a score (interactive, or --script)",
  options: [
    ...VARIANT_OPTIONS,
    {
      flags: "--script <file>",
      description: "read commands from a file (or a saved session); plain text out",
    },
    {
      flags: "--resume <file>",
      description:
        "replay a saved session, then go on from where it was (at the prompt, or with the commands piped in)",
    },
    {
      flags: "--facilitator",
      description: "show the hidden state throughout (poison tasks, causal chains, leases)",
    },
    {
      flags: "--save <file>",
      description: "write the session (commands, answers, forks) to FILE when it ends",
      output: true,
    },
    {
      flags: "--force",
      description:
        "replace a --save file not written by aftershock or holding another session, or a --resume file with another session",
    },
  ],
  examples: [
    "aftershock train qstash-2026-05-08",
    "aftershock train qstash-2026-05-08 --facilitator",
    "aftershock train qstash-2026-05-08 --script session.txt > transcript.txt",
    "aftershock train qstash-2026-05-08 --resume debrief.json --save debrief.json",
    "printf 'next\\nnext\\nwhat-if deploy fixed\\ncompare\\n' | aftershock train qstash-2026-05-08",
  ],
};

export const validateSpec: CommandSpec = {
  name: "validate",
  args: "<files...>",
  stdin: "file",
  summary:
    "check scenario files and folders, importing their scheduler modules as run does; every problem with file, line and column",
  options: [],
  examples: ["aftershock validate scenarios/", "aftershock validate my-incident.yaml"],
};

export const schemaSpec: CommandSpec = {
  name: "schema",
  args: "",
  summary: "print the JSON Schema of scenario files (for editor completion)",
  options: [],
  examples: ["aftershock schema > scenario.schema.json"],
};

export const listSpec: CommandSpec = {
  name: "list",
  args: "",
  summary: "list the bundled scenarios",
  options: [{ flags: "--json", description: "print the list as JSON" }],
  examples: ["aftershock list"],
};
