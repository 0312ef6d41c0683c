/**
 * The world a reproducer writes: named for its failure, and saying what matters to its run and no
 * more. A shrink leaves settings that no longer act on anything: the cron mix and the schedule
 * counts of a workload that generates no account, the destination and retries of a world where no
 * schedule exists or is ever created. Dropping them gives the same world, so `aftershock run`
 * gives the same trace; what is dropped is only what nothing reads, never a value that a default
 * would replace with another. The name is in the trace (`run.started`): a renamed world is run
 * again for the trace hash its reproducer replays (see `describeFailure`).
 */
import type { ScenarioDocument } from "./generate/document.js";
import type { FailureKind } from "./run-one.js";

/** The name of a reproducer's world: what failed, for which variant, at which seed. */
export function reproducerName(kind: FailureKind, variant: string | null, seed: number): string {
  return `${kind}-${variant ?? "own-scheduler"}-seed-${seed}`;
}

/** `doc` named for its failure, without the settings nothing in it reads. */
export function reproducerWorld(
  doc: ScenarioDocument,
  kind: FailureKind,
  variant: string | null,
): ScenarioDocument {
  // A document without a seed runs the schema's default.
  const name = reproducerName(kind, variant, doc.seed ?? DEFAULT_SEED);
  return withoutDeadSettings({ ...doc, name });
}

const DEFAULT_SEED = 1;

type Workload = NonNullable<ScenarioDocument["workload"]>;

/** The document without the workload settings nothing in it reads. */
export function withoutDeadSettings(doc: ScenarioDocument): ScenarioDocument {
  const workload = doc.workload;
  if (workload === undefined) return doc;
  const dead = deadWorkloadKeys(doc, workload);
  if (dead.length === 0) return doc;
  const kept = Object.fromEntries(Object.entries(workload).filter(([key]) => !dead.includes(key)));
  return { ...doc, workload: kept };
}

/** The keys of `workload` that change nothing in this document's world. */
function deadWorkloadKeys(doc: ScenarioDocument, workload: Workload): string[] {
  const dead: string[] = [];
  // No generated account: nothing draws a schedule count or a cron expression from the mix.
  const generated = (workload.accounts ?? 0) > 0;
  if (!generated) dead.push("schedulesPerAccount", "cron");
  // Accounts generated without schedules (at most 0 each) draw their counts, but no cron.
  else if (workload.schedulesPerAccount?.max === 0) dead.push("cron");
  if (!anySchedule(doc, workload, generated)) dead.push("destination", "retries");
  return dead;
}

/** Whether any schedule exists in the world, at the start or created by the timeline. */
function anySchedule(doc: ScenarioDocument, workload: Workload, generated: boolean): boolean {
  if (generated && workload.schedulesPerAccount?.max !== 0) return true;
  if ((workload.named ?? []).some((a) => (a.schedules ?? []).length > 0)) return true;
  return (doc.timeline ?? []).some((a) => a.action === "create-schedule");
}
