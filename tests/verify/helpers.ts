// Shared by the verifier's tests: a captured CLI io, and the assertion on every step's status.
import * as assert from "node:assert/strict";
import { STEP_IDS, type CliIo, type StepId, type StepStatus, type VerifyReport } from "../../provider/verify";

/** A CliIo that records what is written. */
export function captureIo(options: { stdin?: string; stdinIsTTY?: boolean; env?: Record<string, string> } = {}): CliIo & { out(): string; err(): string } {
  let out = "";
  let err = "";
  return {
    readStdin: async () => options.stdin ?? "",
    stdinIsTTY: options.stdinIsTTY ?? options.stdin === undefined,
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    env: options.env ?? {},
    out: () => out,
    err: () => err,
  };
}

/** Expected statuses: the listed steps, every other one `default`. */
export type ExpectedStatuses = Partial<Record<StepId, StepStatus>> & { default: StepStatus };

/** Every step before `id` passes, `id` fails, every later one is skipped; `overrides` adjust that. */
export function failsAt(id: StepId, overrides: Partial<Record<StepId, StepStatus>> = {}): ExpectedStatuses {
  const index = STEP_IDS.indexOf(id);
  const before = Object.fromEntries(STEP_IDS.slice(0, index).map((step) => [step, "pass" as StepStatus]));
  return { default: "skip", ...before, [id]: "fail", ...overrides };
}

/** Asserts the status of every step at once, so a test sees what else failed. */
export function expectStatuses(report: VerifyReport, expected: ExpectedStatuses): void {
  const want = Object.fromEntries(STEP_IDS.map((id) => [id, expected[id] ?? expected.default]));
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
