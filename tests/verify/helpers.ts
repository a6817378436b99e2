// Shared by the verifier's tests: a captured CLI io, the assertion on every step's status, free ports, and a
// stand-in browser that logs the emulator's user in without one.
import * as assert from "node:assert/strict";
import { createServer } from "node:net";
import { DEFAULT_TEST_USER as EMULATOR_TEST_USER } from "../../emulator";
import {
  STEP_IDS,
  type CliIo,
  type LoginCredentials,
  type StepId,
  type StepStatus,
  type VerifyReport,
} from "../../provider/verify";

/** A CliIo that records what is written. */
export function captureIo(
  options: { stdin?: string; stdinIsTTY?: boolean; env?: Record<string, string> } = {},
): CliIo & { out(): string; err(): string } {
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

/** A TCP port of 127.0.0.1 free right now: a loopback redirect URI is registered before the verifier listens on it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A stand-in for the user's browser, for tests that need no real one: it opens the authorize URL as a browser
 * would, logs the emulator's user in by the emulator's browserless HTTP Basic, and follows the redirect to
 * wherever it points (the verifier's loopback listener), after `tamper` if given. Records the URLs it opened.
 */
export function basicAuthBrowser(options: { credentials?: LoginCredentials; tamper?: (callback: URL) => URL } = {}) {
  const { username, password } = options.credentials ?? EMULATOR_TEST_USER;
  const opened: string[] = [];
  const open = async (url: string): Promise<boolean> => {
    opened.push(url);
    const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
    const answer = await fetch(url, {
      headers: { authorization },
      redirect: "manual",
      signal: AbortSignal.timeout(5000),
    });
    await answer.body?.cancel();
    const location = answer.headers.get("location");
    if (location) {
      const callback = new URL(location, url);
      const delivered = await fetch(options.tamper ? options.tamper(callback) : callback, {
        signal: AbortSignal.timeout(5000),
      });
      await delivered.body?.cancel();
    }
    return true;
  };
  return { open, opened };
}

/** `alation-connector verify --json --emulator --login` back to the loopback listener on `port`, and `extra`. */
export function loginArgs(port: number, ...extra: string[]): string[] {
  return ["verify", "--json", "--emulator", "--login", "--callback-port", String(port), ...extra];
}

/** A `$BROWSER` value that runs one of these tests' TypeScript scripts, the URL as its last argument. */
export function browserCommand(script: string, ...args: string[]): string {
  const words = [process.execPath, "-r", require.resolve("ts-node/register"), script, ...args];
  return `${words.map((word) => `'${word}'`).join(" ")} %s`;
}
