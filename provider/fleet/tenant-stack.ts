// One tenant's stack, through Pulumi's Automation API (its workspace, the stack's settings and tags) and, for `up` and
// `destroy`, the CLI that API runs, started here (runStack: fewer CLI runs). A local program (program/index.ts, shipped
// in the package), never an inline one, so that each stack is a CLI run of its own, with a program process and a
// provider process of its own. Inline Node.js programs share the SDK's global runtime state in the calling process,
// so running several at once (`parallel`) would be unsafe.
//
// The credential reaches the stack only through the environment of its CLI run (ALATION_API_ACCESS_TOKEN, from the
// variable the file names), never through stack config. `refresh` and `destroy` configure providers from the state of
// the last `up` (README "After a token was rotated"): a token in secret stack config would be recorded there and a
// rotated one would have to be `up`-ed first, whereas the environment holds the current token for every command, and
// the state holds no token at all. The other ALATION_* connection variables are blanked (the provider reads an empty
// value as unset), so that each stack sees its own tenant's credential and address only.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, Stack, StackNotFoundError, type OpMap, type PulumiCommand } from "@pulumi/pulumi/automation";
import { canonicalJson } from "../domain/canonical-json";
import { CONNECTION_KEYS, CREDENTIAL_WAYS } from "../domain/connection-keys";
import type { Fleet, FleetTenant } from "./fleet-file";
import { TENANT_CONFIG_KEY, type StackTenantConfig } from "./stack-config";

/** The stack tag that records the inputs a tenant last converged with (up, then verify, both fine). */
export const CONVERGED_TAG = "alation-fleet:converged";

/** Where the fleet runs its stacks from: the CLI, a scratch folder, the program, the fleet process's environment. */
export interface StackContext {
  fleet: Fleet;
  pulumi: PulumiCommand;
  /** A scratch folder of this run: each tenant's Pulumi.yaml and Pulumi.<stack>.yaml (the state is the backend's). */
  workRoot: string;
  /** The folder of the per-tenant program (programFolder). */
  programDir: string;
  env: NodeJS.ProcessEnv;
  /** `up --refresh`: every stack is refreshed and brought up, converged or not. */
  refresh?: boolean;
  /** Aborted on SIGINT or SIGTERM: a run that ends after it may have stopped short (a Ctrl-C reaches the CLIs too). */
  stop?: AbortSignal;
  /** Once aborted, each running CLI is asked to cancel (SIGINT, as a user's first Ctrl-C: it ends cleanly). */
  cancel?: AbortSignal;
}

/** The per-tenant program's folder, beside this file (in the package: dist/provider/fleet/program). */
export const PROGRAM_DIR = path.join(__dirname, "program");

/**
 * The folder the stacks run their program from, made in the run's scratch folder: an `index.js` that loads the
 * package's program, beside a node_modules that holds this package (`pulumi-alation`) and the `@pulumi` it runs with.
 * The engine starts the provider process in the program's folder, and the serialized provider stub requires
 * `pulumi-alation/runtime` from there: so it is found wherever this package is, installed in a project or a clone of
 * its repository (whose own node_modules has no pulumi-alation), and the clone is left as it was.
 */
export function programFolder(workRoot: string): string {
  const root = packageRoot();
  const modules = path.join(workRoot, "node_modules");
  fs.mkdirSync(modules, { recursive: true });
  fs.symlinkSync(root, path.join(modules, "pulumi-alation"), "dir");
  const pulumiSdk = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [root] }));
  fs.symlinkSync(path.dirname(pulumiSdk), path.join(modules, "@pulumi"), "dir");
  const dir = path.join(workRoot, "program");
  fs.mkdirSync(dir);
  const program = path.join(PROGRAM_DIR, "index.js");
  fs.writeFileSync(path.join(dir, "index.js"), `module.exports = require(${JSON.stringify(program)});\n`);
  return dir;
}

/**
 * A workspace of one tenant's stack, in a folder of its own. With `withCredential`, its CLI runs get the tenant's
 * token (up and destroy); without, none (preview needs none).
 */
export async function tenantWorkspace(
  context: StackContext,
  tenant: FleetTenant,
  withCredential: boolean,
): Promise<LocalWorkspace> {
  const { fleet } = context;
  const workDir = path.join(context.workRoot, tenant.name);
  fs.mkdirSync(workDir, { recursive: true });
  const config: StackTenantConfig = { baseUrl: tenant.baseUrl, connector: tenant.connector, clients: tenant.clients };
  return LocalWorkspace.create({
    workDir,
    pulumiCommand: context.pulumi,
    projectSettings: {
      name: fleet.project,
      description: `Claude connectors of an Alation fleet, one stack per tenant (alation-fleet, ${fleet.file})`,
      runtime: { name: "nodejs", options: { typescript: false } },
      // The program of programFolder: the engine starts the provider process in its folder, whose node_modules hold
      // pulumi-alation, as the provider's serialized stub needs. The file, not the folder: given a folder, the
      // language host runs the `main` of the nearest package.json.
      main: path.join(context.programDir, "index.js"),
      backend: { url: fleet.backend },
    },
    // Written as the stack's settings file (no CLI call); the file's values, re-set on every run.
    stackSettings: { [tenant.name]: { config: { [`${fleet.project}:${TENANT_CONFIG_KEY}`]: JSON.stringify(config) } } },
    secretsProvider: fleet.secretsProvider,
    envVars: stackEnvironment(context, tenant, withCredential),
  });
}

/** Makes the folder of a `file://` backend (Pulumi opens it, but does not make it). */
export function makeLocalBackend(backend: string): void {
  const dir = /^file:\/\/(\/[^?]*)/.exec(backend)?.[1];
  if (dir) fs.mkdirSync(dir, { recursive: true });
}

/** The variables added to the environment of the tenant's CLI runs (see the top of this file). */
function stackEnvironment(context: StackContext, tenant: FleetTenant, withCredential: boolean): Record<string, string> {
  const env: Record<string, string> = {
    // The fleet's backend, whatever PULUMI_BACKEND_URL the caller has set (it would take precedence over Pulumi.yaml).
    PULUMI_BACKEND_URL: context.fleet.backend,
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  for (const name of ["baseUrl", ...CREDENTIAL_WAYS.flat()] as const) env[CONNECTION_KEYS[name].env] = "";
  if (withCredential) env[CONNECTION_KEYS.apiAccessToken.env] = context.env[tenant.apiAccessTokenEnv] ?? "";
  return env;
}

/** The tags of the tenant's stack (one CLI run), or undefined when the backend has no stack of that name. */
export async function stackTags(
  workspace: LocalWorkspace,
  tenant: FleetTenant,
): Promise<Record<string, string> | undefined> {
  try {
    return await workspace.listTags(tenant.name);
  } catch (error) {
    if (error instanceof StackNotFoundError) return undefined;
    throw error;
  }
}

/** What `up` or `destroy` did: the engine's count of resources by operation, and (up) the stack's outputs. */
export interface StackRun {
  changes: OpMap;
  outputs: Record<string, unknown>;
}

/**
 * `up` (or `destroy`) of the tenant's existing stack in one CLI run, the changes read from the engine's event log;
 * after an `up`, the outputs in one more. The Automation API's `Stack.up` would read the outputs in two runs and the
 * stack's history in a third (about 0.4 s of CPU each, per tenant). Arguments and environment as it passes them.
 */
export async function runStack(
  context: StackContext,
  workspace: LocalWorkspace,
  tenant: FleetTenant,
  command: "up" | "destroy",
): Promise<StackRun> {
  const eventLog = path.join(workspace.workDir, `${command}-events.jsonl`);
  fs.rmSync(eventLog, { force: true });
  const refresh = command === "up" && context.refresh ? ["--refresh"] : [];
  const args = [command, "--yes", "--skip-preview", ...refresh, "--color", "never", "--event-log", eventLog];
  const env = { ...process.env, PULUMI_DEBUG_COMMANDS: "true", ...workspace.envVars };
  const run = (argv: string[], signal?: AbortSignal, stdoutInError = true) =>
    runCli(workspace.pulumiCommand.command, [...argv, "--stack", tenant.name], {
      cwd: workspace.workDir,
      env,
      signal,
      stdoutInError,
    });
  try {
    await run([...args, "--exec-kind", "auto.local"], context.cancel);
    // A destroy stopped by a SIGINT exits 0 once its deletes in flight are done, the rest of the stack still in place
    // (Pulumi 3.248 then prints "The resources in the stack have been deleted"): it failed as a stopped up does, and
    // its stack stays for the rerun (which ends the destroy, or finds nothing left and removes the stack).
    if (command === "destroy" && (context.stop?.aborted || context.cancel?.aborted)) throw new Error("update canceled");
    const changes = resourceChanges(fs.readFileSync(eventLog, "utf8"));
    if (command === "destroy") return { changes, outputs: {} };
    // Shown secrets: stdout stays out of the error, should the read fail after printing.
    const shown = await run(["stack", "output", "--json", "--show-secrets"], undefined, false);
    return { changes, outputs: stackOutputs(shown.stdout, tenant) };
  } finally {
    fs.rmSync(eventLog, { force: true });
  }
}

/**
 * A CLI run, as the Automation API spawns it: its output kept, a SIGINT when `signal` aborts (the CLI then ends
 * cleanly, as after a first Ctrl-C). Rejects unless it exits 0, with what it printed (its `error:` lines: the cause).
 */
function runCli(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; signal?: AbortSignal; stdoutInError: boolean },
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const cancel = () => child.kill("SIGINT");
    if (options.signal?.aborted) cancel();
    options.signal?.addEventListener("abort", cancel, { once: true });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      options.signal?.removeEventListener("abort", cancel);
      const printed = options.stdoutInError ? `${stdout}\n${stderr}` : stderr;
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`pulumi ${args[0]} exited ${code ?? signal}:\n${printed}`));
    });
  });
}

/**
 * What `pulumi stack output --json` printed, parsed. Text that is not JSON fails without being quoted: with
 * `--show-secrets` it holds client secrets (JSON.parse's own message quotes the text it met).
 */
export function stackOutputs(printed: string, tenant: FleetTenant): Record<string, unknown> {
  try {
    return JSON.parse(printed) as Record<string, unknown>;
  } catch {
    throw new Error(`pulumi stack output printed no JSON for the stack of tenant ${tenant.name}`);
  }
}

/** The summary event's count of resources by operation, from an event log (one JSON engine event a line). */
function resourceChanges(eventLog: string): OpMap {
  for (const line of eventLog.split("\n").reverse()) {
    if (line.trim() === "") continue;
    const changes = JSON.parse(line).summaryEvent?.resourceChanges;
    if (changes) return changes;
  }
  return {};
}

/** The tenant's stack, or undefined when the backend has none of that name. */
export async function existingStack(workspace: LocalWorkspace, tenant: FleetTenant): Promise<Stack | undefined> {
  try {
    return await Stack.select(tenant.name, workspace);
  } catch (error) {
    if (error instanceof StackNotFoundError) return undefined;
    throw error;
  }
}

/**
 * What the tenant's converged tag holds when it converged with the current inputs: a digest of everything that
 * decides the outcome (the package's version, the tenant's address, connector inputs and verify options), keys
 * sorted, so that a reordered file is the same fleet. The token is not in it: the environment gives the current one.
 */
export function convergedFingerprint(tenant: FleetTenant): string {
  const inputs = {
    version: packageVersion(),
    baseUrl: tenant.baseUrl,
    connector: tenant.connector,
    // Claude's alone, the default, is left out: a stack that converged before `clients` existed stays converged.
    clients: JSON.stringify(tenant.clients) === JSON.stringify(["claude"]) ? undefined : tenant.clients,
    verify: tenant.verify,
  };
  return createHash("sha256").update(canonicalJson(inputs)).digest("hex");
}

/** pulumi-alation's root: the folder of the package.json above this file (in dist/ or in the sources). */
function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

let version: string | undefined;

/** pulumi-alation's version, from its package.json. */
function packageVersion(): string {
  version ??= String(JSON.parse(fs.readFileSync(path.join(packageRoot(), "package.json"), "utf8")).version);
  return version;
}
