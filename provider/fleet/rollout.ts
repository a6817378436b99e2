// A command over the whole fleet: wave by wave (in reverse for destroy), up to `parallel` stacks at once within a
// wave. A failure lets the rest of its wave finish, then stops: the later waves are not run, the finished stacks keep
// their state, and a rerun goes on from there (converged stacks are left alone, see tenant-commands.ts).
import type { Fleet, FleetTenant, FleetWave } from "./fleet-file";
import { FleetFileError } from "./fleet-file";
import { withoutUrlPassword } from "../domain/urls";
import {
  destroyTenant,
  previewTenant,
  upTenant,
  type Phase,
  type TenantIo,
  type TenantResult,
} from "./tenant-commands";
import type { StackContext } from "./tenant-stack";

export type FleetCommand = "preview" | "up" | "destroy";

/** What a command did to the fleet. */
export interface RolloutReport {
  command: FleetCommand;
  ok: boolean;
  project: string;
  backend: string;
  /** Every tenant, in the order the command went through them. */
  tenants: TenantResult[];
  /** The first tenant that failed (in file order within its wave), with its phase and cause. */
  failed?: { tenant: string; wave: string; phase: Phase; cause: string };
  /** The wave after which the command stopped, when one failed. */
  stoppedAfter?: string;
  /** True when a stop was asked for (SIGINT, SIGTERM): no tenant started after it. */
  interrupted?: boolean;
}

/** Where progress lines go, the environment tokens and `$BROWSER` are read from, and a request to stop. */
export interface RolloutIo {
  env: NodeJS.ProcessEnv;
  progress(line: string): void;
  /** Once aborted, no tenant starts: the running ones finish (or their CLI cancels), the rest are not run. */
  stop?: AbortSignal;
}

/** What a command does to one tenant. */
export type TenantCommand = (context: StackContext, tenant: FleetTenant, io: TenantIo) => Promise<TenantResult>;

const COMMANDS: Record<FleetCommand, TenantCommand> = { preview: previewTenant, up: upTenant, destroy: destroyTenant };
/** The counter's word for a tenant the command is through with: `3/6 up`. */
const COUNTER_WORDS: Record<FleetCommand, string> = { preview: "previewed", up: "up", destroy: "destroyed" };

/**
 * Refuses, before anything runs, a fleet whose tenants' tokens are missing from the environment (up and destroy
 * need them; preview needs none). The message names the tenant, the field and the variable, never a value.
 */
export function checkEnvironment(fleet: Fleet, command: FleetCommand, env: NodeJS.ProcessEnv): void {
  if (command === "preview") return;
  const problems = fleet.waves.flatMap((wave, w) =>
    wave.tenants.flatMap((tenant, t) =>
      env[tenant.apiAccessTokenEnv]
        ? []
        : [
            `tenant ${tenant.name} (waves[${w}].tenants[${t}]): apiAccessTokenEnv names ${tenant.apiAccessTokenEnv}, ` +
              `which is not set (${command} needs the tenant's API access token there)`,
          ],
    ),
  );
  if (problems.length > 0) throw new FleetFileError(fleet.file, problems);
}

/**
 * Runs `command` over the fleet (`tenantCommand` does it to each tenant: the command's own, unless a test gives
 * another). Never throws for a tenant's failure: the report holds it.
 */
export async function runFleet(
  command: FleetCommand,
  context: StackContext,
  io: RolloutIo,
  tenantCommand: TenantCommand = COMMANDS[command],
): Promise<RolloutReport> {
  const { fleet } = context;
  const waves = command === "destroy" ? [...fleet.waves].reverse() : fleet.waves;
  const total = waves.reduce((sum, wave) => sum + wave.tenants.length, 0);
  const report: RolloutReport = {
    command,
    ok: true,
    project: fleet.project,
    backend: withoutUrlPassword(fleet.backend),
    tenants: [],
  };
  let through = 0;
  const tenantIo: TenantIo = {
    env: io.env,
    progress: io.progress,
    tenantProgress: (tenant, line) => io.progress(`${tenant.name} (${tenant.wave}): ${line}`),
  };
  for (const [index, wave] of waves.entries()) {
    if (!report.ok || io.stop?.aborted) {
      report.tenants.push(...wave.tenants.map((tenant) => notRun(tenant)));
      continue;
    }
    io.progress(`wave ${wave.name} (${index + 1}/${waves.length}): ${tenantsText(wave)}`);
    const results = await atMost(fleet.parallel, wave.tenants, async (tenant) => {
      if (io.stop?.aborted) return notRun(tenant);
      const result = await tenantCommand(context, tenant, tenantIo);
      if (result.status !== "failed") io.progress(`${++through}/${total} ${COUNTER_WORDS[command]}`);
      return result;
    });
    report.tenants.push(...results);
    const failed = results.find((result) => result.failure);
    if (failed?.failure) {
      report.ok = false;
      report.failed = { tenant: failed.tenant, wave: failed.wave, ...failed.failure };
      report.stoppedAfter = wave.name;
      io.progress(stopLine(report, waves.length - index - 1));
    }
  }
  if (io.stop?.aborted) {
    report.ok = false;
    report.interrupted = true;
    io.progress("interrupted: no stack started after the stop; a rerun goes on from here");
  }
  return report;
}

function notRun(tenant: FleetTenant): TenantResult {
  return { tenant: tenant.name, wave: tenant.wave, status: "not run" };
}

function tenantsText(wave: FleetWave): string {
  return `${wave.tenants.length} tenant${wave.tenants.length === 1 ? "" : "s"}`;
}

/** `stopped after wave rest: tenant beta failed (verify); 1 later wave not run`. */
function stopLine(report: RolloutReport, laterWaves: number): string {
  const failed = report.failed as NonNullable<RolloutReport["failed"]>;
  const later = laterWaves === 0 ? "" : `; ${laterWaves} later wave${laterWaves === 1 ? "" : "s"} not run`;
  return `stopped after wave ${report.stoppedAfter}: tenant ${failed.tenant} failed (${failed.phase})${later}`;
}

/** Runs `work` on each item, at most `limit` at once; the results in the items' order. */
export async function atMost<T, R>(limit: number, items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
