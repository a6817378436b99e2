#!/usr/bin/env node
// `alation-fleet preview|up|destroy|outputs --file FLEET`: one stack per tenant, in waves, with verify as the gate,
// through Pulumi's Automation API. Progress goes to stderr, the summary (a table, or `--json`) to stdout.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { FleetFileError, loadFleetFile, type Fleet, type FleetTenant } from "./fleet-file";
import { outputsText, readOutputs } from "./outputs";
import { checkEnvironment, runFleet, type FleetCommand } from "./rollout";
import { summaryJson, summaryTable } from "./summary";
import { parseCommandLine, processIo, runAsProcess, usageError, type ProcessIo } from "../domain/cli-main";
import { makeLocalBackend, programFolder } from "./tenant-stack";

const FLEET_USAGE = `Usage: alation-fleet preview|up|destroy|outputs [options]

Runs one Pulumi stack per tenant of the fleet file, wave by wave, up to \`parallel\` stacks at once.

Commands:
  preview   previews every stack; needs no credentials and makes no request to any tenant
  up        applies wave by wave; after each tenant's up, verifies its connector (the tenant's \`verify\`);
            a failed up or verify stops the later waves; converged stacks are left alone on a rerun
  destroy   destroys every stack, wave by wave in reverse order, and removes it from the backend
  outputs   prints each tenant's connector fields from its stack (secrets masked unless --show-secrets); needs no
            token

Options:
  --file FLEET       the fleet file, YAML or JSON (default fleet.yaml)
  --wave NAME        only this wave (one CI job per wave)
  --refresh          up: refresh every stack first, converged ones too, so that what changed in Alation outside
                     Pulumi is put back (each tenant gets its reads)
  --tenant NAME      outputs: only this tenant
  --show-secrets     outputs: print the client secrets too
  --json             print one JSON document for CI instead of the summary table
  --pulumi-cli DIR   the folder that holds pulumi and its plugins (default: pulumi on PATH)
  -h, --help         print this help

Exit status: 0 when every tenant is done, 1 when a tenant failed, 2 for bad usage or a bad fleet file, 130 when
stopped by SIGINT or SIGTERM (the running stacks end cleanly, no other starts; a rerun goes on from there).
`;

const FLEET_BIN = { bin: "alation-fleet", help: "alation-fleet --help", usage: FLEET_USAGE };

const COMMANDS: ReadonlyArray<FleetCommand | "outputs"> = ["preview", "up", "destroy", "outputs"];

const FLEET_OPTIONS = {
  file: { type: "string", default: "fleet.yaml" },
  wave: { type: "string" },
  refresh: { type: "boolean", default: false },
  tenant: { type: "string" },
  "show-secrets": { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  "pulumi-cli": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** What the CLI writes to, the environment it reads tokens, PATH and \`$BROWSER\` from, and requests to stop. */
export interface FleetCliIo extends ProcessIo {
  /** Aborted on SIGINT or SIGTERM: no stack starts after it. */
  stop?: AbortSignal;
  /** Aborted on SIGTERM: the running CLIs are asked to cancel (a terminal's Ctrl-C reaches them itself). */
  cancel?: AbortSignal;
}

/** Runs the CLI with its arguments (without node and script); resolves to the exit status. */
export async function runFleetCli(argv: readonly string[], io: FleetCliIo): Promise<number> {
  const parsed = parseCommandLine(FLEET_BIN, [...argv], FLEET_OPTIONS, io);
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  const command = positionals[0] as FleetCommand | "outputs";
  if (positionals.length !== 1 || !COMMANDS.includes(command)) {
    return usageError(io, FLEET_BIN, "the command is one of `alation-fleet preview`, `up`, `destroy` or `outputs`");
  }
  if (values.refresh && command !== "up")
    return usageError(io, FLEET_BIN, "--refresh goes with `alation-fleet up` only");
  for (const option of ["tenant", "show-secrets"] as const) {
    if (values[option] && command !== "outputs") {
      return usageError(io, FLEET_BIN, `--${option} goes with \`alation-fleet outputs\` only`);
    }
  }
  let fleet;
  let tenants;
  try {
    fleet = onlyWave(loadFleetFile(values.file), values.wave);
    tenants = onlyTenant(fleet, values.tenant);
    if (command !== "outputs") checkEnvironment(fleet, command, io.env);
  } catch (error) {
    if (!(error instanceof FleetFileError)) throw error;
    io.stderr(`${error.message}\nalation-fleet: nothing was run\n`);
    return 2;
  }
  const env = withCliOnPath(io.env, values["pulumi-cli"]);
  const workRoot = fs.mkdtempSync(path.join(os.tmpdir(), "alation-fleet-"));
  try {
    const pulumi = await pulumiCommand(env);
    makeLocalBackend(fleet.backend);
    const context = {
      fleet,
      pulumi,
      workRoot,
      programDir: programFolder(workRoot),
      env,
      stop: io.stop,
      cancel: io.cancel,
      refresh: values.refresh,
    };
    if (command === "outputs") {
      const outputs = await readOutputs(context, tenants, values["show-secrets"]);
      io.stdout(values.json ? `${JSON.stringify(outputs, null, 2)}\n` : outputsText(outputs));
      return 0;
    }
    const report = await runFleet(command, context, { env, progress: (line) => io.stderr(`${line}\n`), stop: io.stop });
    io.stdout(values.json ? summaryJson(report) : summaryTable(report));
    if (report.interrupted) return INTERRUPTED_STATUS;
    return report.ok ? 0 : 1;
  } finally {
    fs.rmSync(workRoot, { recursive: true, force: true });
  }
}

/** The fleet with only the wave `name` (all of them without a name). */
function onlyWave(fleet: Fleet, name: string | undefined): Fleet {
  if (name === undefined) return fleet;
  const waves = fleet.waves.filter((wave) => wave.name === name);
  if (waves.length === 0) {
    const known = fleet.waves.map((wave) => wave.name).join(", ");
    throw new FleetFileError(fleet.file, [`has no wave ${JSON.stringify(name)} (--wave; its waves: ${known})`]);
  }
  return { ...fleet, waves };
}

/** The fleet's tenants, or only the one named `name` (`--tenant`). */
function onlyTenant(fleet: Fleet, name: string | undefined): FleetTenant[] {
  const tenants = fleet.waves.flatMap((wave) => wave.tenants);
  if (name === undefined) return tenants;
  const named = tenants.filter((tenant) => tenant.name === name);
  if (named.length === 0) {
    const known = tenants.map((tenant) => tenant.name).join(", ");
    throw new FleetFileError(fleet.file, [`has no tenant ${JSON.stringify(name)} (--tenant; its tenants: ${known})`]);
  }
  return named;
}

/** The environment with `--pulumi-cli`'s folder first on PATH, where the CLI finds its plugins too. */
function withCliOnPath(env: NodeJS.ProcessEnv, dir: string | undefined): NodeJS.ProcessEnv {
  if (!dir) return env;
  return { ...env, PATH: [path.resolve(dir), env.PATH ?? ""].join(path.delimiter) };
}

/**
 * The CLI the Automation API runs: `pulumi` as PATH finds it. The Automation API spawns it with this process's
 * environment, so PATH is set here for the whole process (the bin's own).
 */
async function pulumiCommand(env: NodeJS.ProcessEnv): Promise<PulumiCommand> {
  process.env.PATH = env.PATH;
  return PulumiCommand.get();
}

/** The exit status of a run stopped by a signal (128 + SIGINT's number, as shells report a Ctrl-C). */
export const INTERRUPTED_STATUS = 130;

/**
 * Stop requests from the process's signals. The first SIGINT or SIGTERM stops new stacks and lets the running ones
 * end cleanly (a terminal's Ctrl-C reaches their CLIs too; a SIGTERM is passed on to them as SIGINT); a second signal
 * ends the process at once, as it would without this.
 */
function stopOnSignals(io: ProcessIo): Pick<FleetCliIo, "stop" | "cancel"> {
  const stop = new AbortController();
  const cancel = new AbortController();
  // The listener stays for the whole run: the CLI runner's own exit hook re-raises a signal that no one else listens
  // to, which would end the process at the first one.
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      process.kill(process.pid, signal);
      return;
    }
    io.stderr(`alation-fleet: ${signal}: stopping; the running stacks end cleanly, no other starts (again: at once)\n`);
    stop.abort();
    if (signal === "SIGTERM") cancel.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return { stop: stop.signal, cancel: cancel.signal };
}

if (require.main === module) {
  const io = processIo();
  runAsProcess("alation-fleet", () => runFleetCli(process.argv.slice(2), { ...io, ...stopOnSignals(io) }));
}
