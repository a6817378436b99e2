// A small model of what the Pulumi engine does with dynamic resources during `pulumi up` and `pulumi destroy`,
// driving Pulumi's real dynamic-provider gRPC server: Check then Create for a new resource, Check, Diff and Update
// for a known one, Delete for one that left the program; `parallelism` operations at a time (the engine's
// --parallel). Like the engine, it records a resource only when the provider answered, keeps the outputs of a
// create or update that failed after the resource existed (ErrorResourceInitFailed) and updates such a resource on
// the next run whatever its diff says.
import { ProviderCallError, type ProviderServer } from "../support/provider-server";

export type Props = Record<string, unknown>;

/** What the engine's state holds for one resource. */
export interface Recorded {
  id: string;
  /** The checked inputs it was last created or updated with. */
  inputs: Props;
  outputs: Props;
  /** Set when the last create or update failed after the resource existed: the next run updates it. */
  initErrors?: string[];
}

/** One operation that failed in a run. */
export interface Failure {
  name: string;
  operation: "check" | "create" | "diff" | "update" | "delete";
  message: string;
}

/** The outcome of one run. */
export interface RunReport {
  failures: Failure[];
  /** Provider operations that succeeded, by kind. */
  done: Record<string, number>;
}

/** The engine's state of a stack: resource name -> what was recorded. */
export type StackState = Map<string, Recorded>;

/**
 * One `pulumi up` of `desired` (resource name -> registered inputs, `__provider` included) over `state`, which it
 * updates in place. Resources in `state` but not in `desired` are deleted. A replacement is reported as a failure:
 * none of these rollouts should need one.
 */
export async function up(
  server: ProviderServer,
  desired: Map<string, Props>,
  state: StackState,
  parallelism: number,
): Promise<RunReport> {
  const report: RunReport = { failures: [], done: {} };
  const names = [...new Set([...desired.keys(), ...state.keys()])];
  await eachLimited(names, parallelism, async (name) => {
    const news = desired.get(name);
    const recorded = state.get(name);
    try {
      if (news === undefined) await remove(server, name, state, report);
      else if (recorded === undefined) await create(server, name, news, state, report);
      else await update(server, name, recorded, news, state, report);
    } catch (error) {
      report.failures.push(failureOf(name, error));
    }
  });
  return report;
}

/** Runs `up` until a run has no failure (as a user reruns `pulumi up`), at most `maxRuns` times. */
export async function converge(
  server: ProviderServer,
  desired: Map<string, Props>,
  state: StackState,
  options: { parallelism: number; maxRuns: number },
): Promise<RunReport[]> {
  const runs: RunReport[] = [];
  do {
    runs.push(await up(server, desired, state, options.parallelism));
  } while (runs[runs.length - 1].failures.length > 0 && runs.length < options.maxRuns);
  return runs;
}

async function create(
  server: ProviderServer,
  name: string,
  news: Props,
  state: StackState,
  report: RunReport,
): Promise<void> {
  const checked = await checkedInputs(server, {}, news);
  const result = await recordingInitFailure("create", name, checked, state, () => server.create(checked));
  state.set(name, { id: result.id, inputs: checked, outputs: result.properties });
  count(report, "create");
}

async function update(
  server: ProviderServer,
  name: string,
  recorded: Recorded,
  news: Props,
  state: StackState,
  report: RunReport,
): Promise<void> {
  const checked = await checkedInputs(server, recorded.inputs, news);
  const diff = await server.diff(recorded.id, recorded.outputs, checked).catch((error) => {
    throw tagged(error, "diff");
  });
  if (diff.replaces.length > 0) throw tagged(new Error(`would replace: ${diff.replaces.join(", ")}`), "diff");
  if (diff.changes !== "some" && !recorded.initErrors) return;
  const result = await recordingInitFailure("update", name, checked, state, async () => ({
    id: recorded.id,
    properties: (await server.update(recorded.id, recorded.outputs, checked)).properties,
  }));
  state.set(name, { id: recorded.id, inputs: checked, outputs: result.properties });
  count(report, "update");
}

async function remove(server: ProviderServer, name: string, state: StackState, report: RunReport): Promise<void> {
  const recorded = state.get(name) as Recorded;
  await server.delete(recorded.id, recorded.outputs).catch((error) => {
    throw tagged(error, "delete");
  });
  state.delete(name);
  count(report, "delete");
}

async function checkedInputs(server: ProviderServer, olds: Props, news: Props): Promise<Props> {
  const result = await server.check(olds, news).catch((error) => {
    throw tagged(error, "check");
  });
  if (result.failures.length > 0) throw tagged(new Error(`check failed: ${JSON.stringify(result.failures)}`), "check");
  return { ...result.inputs, __provider: news.__provider };
}

/** Runs a create or update; a failure after the resource existed is recorded as the engine records it. */
async function recordingInitFailure(
  operation: "create" | "update",
  name: string,
  inputs: Props,
  state: StackState,
  call: () => Promise<{ id: string; properties: Props }>,
): Promise<{ id: string; properties: Props }> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ProviderCallError && error.initFailure) {
      const { id, properties, reasons } = error.initFailure;
      state.set(name, { id, inputs, outputs: properties, initErrors: reasons });
    }
    throw tagged(error, operation);
  }
}

/** The error, marked with the operation that failed (the first mark stays). */
function tagged(error: unknown, operation: Failure["operation"]): Error {
  const marked = (error instanceof Error ? error : new Error(String(error))) as Error & {
    operation?: Failure["operation"];
  };
  marked.operation ??= operation;
  return marked;
}

function failureOf(name: string, error: unknown): Failure {
  const operation = (error as { operation?: Failure["operation"] }).operation ?? "create";
  return { name, operation, message: error instanceof Error ? error.message : String(error) };
}

function count(report: RunReport, operation: string): void {
  report.done[operation] = (report.done[operation] ?? 0) + 1;
}

/** Runs `work` on every item, at most `limit` at a time. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
