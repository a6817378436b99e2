// Shared by the verifier's tests: the assertion on every step's status, and the verifier's command lines. (The
// captured CLI io, free ports and the stand-in browser are in tests/support/.)
import * as assert from "node:assert/strict";
import { STEP_IDS, stepIdsFor, type StepId, type StepStatus, type VerifyReport } from "../../provider/verify";

/** Expected statuses: the listed steps, every other one `default`. */
export type ExpectedStatuses = Partial<Record<StepId, StepStatus>> & { default: StepStatus };

/** The steps that need a user, from the first on. */
const LOGIN_STEP_IDS = STEP_IDS.slice(STEP_IDS.indexOf("redirect-uri-loopback"));

/** The login's steps when they cannot run (a step before them failed). */
export const LOGIN_SKIPPED = Object.fromEntries(LOGIN_STEP_IDS.map((id) => [id, "skip" as StepStatus])) as Partial<
  Record<StepId, StepStatus>
>;

/** The login's steps without --login, the steps before them fine: one warning saying what was not checked. */
export const WITHOUT_LOGIN: Partial<Record<StepId, StepStatus>> = { ...LOGIN_SKIPPED, login: "warn" };

/** Every step before `id` passes, `id` fails, every later one is skipped; `overrides` adjust that. */
export function failsAt(id: StepId, overrides: Partial<Record<StepId, StepStatus>> = {}): ExpectedStatuses {
  const ids: readonly StepId[] = STEP_IDS;
  const before = Object.fromEntries(ids.slice(0, ids.indexOf(id)).map((step) => [step, "pass" as StepStatus]));
  return { default: "skip", ...before, [id]: "fail", ...overrides };
}

/** Asserts the status of every step (of the report's client) at once, so a test sees what else failed. */
export function expectStatuses(report: VerifyReport, expected: ExpectedStatuses): void {
  const want = Object.fromEntries(stepIdsFor(report.client).map((id) => [id, expected[id] ?? expected.default]));
  const got = Object.fromEntries(report.steps.map((step) => [step.id, step.status]));
  const explain = report.steps
    .filter((step) => step.status !== want[step.id])
    .map((step) => `${step.id}: ${step.status} (${step.detail ?? ""} | ${step.cause ?? ""})`)
    .join("\n");
  assert.deepEqual(got, want, explain);
}

/** The result of one step. */
export function stepOf(report: VerifyReport, id: StepId) {
  const step = report.steps.find((s) => s.id === id);
  assert.ok(step, `no step ${id}`);
  return step;
}

/** `alation-connector verify --json --emulator --login` back to the loopback listener on `port`, and `extra`. */
export function loginArgs(port: number, ...extra: string[]): string[] {
  return ["verify", "--json", "--emulator", "--login", "--callback-port", String(port), ...extra];
}

/** A `$BROWSER` value that runs one of these tests' scripts (.ts through ts-node), the URL as its last argument. */
export function browserCommand(script: string, ...args: string[]): string {
  const tsNode = script.endsWith(".ts") ? ["-r", require.resolve("ts-node/register")] : [];
  const words = [process.execPath, ...tsNode, script, ...args];
  return `${words.map((word) => `'${word}'`).join(" ")} %s`;
}
