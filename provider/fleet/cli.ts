#!/usr/bin/env node
// `alation-fleet preview|up|destroy --file FLEET`: one stack per tenant, in waves, with verify as the gate, through
// Pulumi's Automation API. Progress goes to stderr, the summary (a table, or `--json`) to stdout.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { FleetFileError, loadFleetFile, type Fleet } from "./fleet-file";
import { checkEnvironment, runFleet, type FleetCommand } from "./rollout";
import { summaryJson, summaryTable } from "./summary";
import { processIo, runAsProcess, type ProcessIo } from "../domain/cli-main";
import { makeLocalBackend, PROGRAM_DIR } from "./tenant-stack";

const FLEET_USAGE = `Usage: alation-fleet preview|up|destroy [options]

Runs one Pulumi stack per tenant of the fleet file, wave by wave, up to \`parallel\` stacks at once.

Commands:
  preview   previews every stack; needs no credentials and makes no request to any tenant
  up        applies wave by wave; after each tenant's up, verifies its connector (the tenant's \`verify\`);
            a failed up or verify stops the later waves; converged stacks are left alone on a rerun
  destroy   destroys every stack, wave by wave in reverse order, and removes it from the backend

Options:
  --file FLEET       the fleet file, YAML or JSON (default fleet.yaml)
  --wave NAME        only this wave (one CI job per wave)
  --refresh          up: refresh every stack first, converged ones too, so that what changed in Alation outside
                     Pulumi is put back (each tenant gets its reads)
  --json             print one JSON document for CI instead of the summary table
  --pulumi-cli DIR   the folder that holds pulumi and its plugins (default: pulumi on PATH)
  -h, --help         print this help

Exit status: 0 when every tenant is done, 1 when a tenant failed, 2 for bad usage or a bad fleet file, 130 when
stopped by SIGINT or SIGTERM (the running stacks end cleanly, no other starts; a rerun goes on from there).
`;

const COMMANDS: readonly FleetCommand[] = ["preview", "up", "destroy"];

/** What the CLI writes to, the environment it reads tokens, PATH and \`$BROWSER\` from, and requests to stop. */
export interface FleetCliIo extends ProcessIo {
  /** Aborted on SIGINT or SIGTERM: no stack starts after it. */
  stop?: AbortSignal;
  /** Aborted on SIGTERM: the running CLIs are asked to cancel (a terminal's Ctrl-C reaches them itself). */
  cancel?: AbortSignal;
}

/** Runs the CLI with its arguments (without node and script); resolves to the exit status. */
export async function runFleetCli(argv: readonly string[], io: FleetCliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        file: { type: "string", default: "fleet.yaml" },
        wave: { type: "string" },
        refresh: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        "pulumi-cli": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    return usageError(io, (error as Error).message.split(". ")[0]);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(FLEET_USAGE);
    return 0;
  }
  const command = positionals[0] as FleetCommand;
  if (positionals.length !== 1 || !COMMANDS.includes(command)) {
    return usageError(io, "the command is one of `alation-fleet preview`, `up` or `destroy`");
  }
  if (values.refresh && command !== "up") return usageError(io, "--refresh goes with `alation-fleet up` only");
  let fleet;
  try {
    fleet = onlyWave(loadFleetFile(values.file), values.wave);
    checkEnvironment(fleet, command, io.env);
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
      programDir: PROGRAM_DIR,
      env,
      cancel: io.cancel,
      refresh: values.refresh,
    };
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

function usageError(io: FleetCliIo, message: string): number {
  io.stderr(`alation-fleet: ${message}\nalation-fleet --help for usage\n`);
  return 2;
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
