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

/**
 * The name of a reproducer's world, by default: what failed, for which variant, and the run of
 * the exploration that found it, so that the reproducers of one exploration, gated together
 * from its folder, have names of their own (the gate names its cases by scenario). The CLI gives
 * each the name of its file instead (`ExploreConstraints.reproducerName`).
 */
export function reproducerName(kind: FailureKind, variant: string | null, run: number): string {
  return `${kind}-${variant ?? "own-scheduler"}-run-${run}`;
}

/** `doc` named `name`, without the settings nothing in it reads. */
export function reproducerWorld(doc: ScenarioDocument, name: string): ScenarioDocument {
  return withoutDeadSettings({ ...doc, name });
}

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
