// The real engine: a stack of N connectors over T emulated tenants (+latency on every admin call) driven through the
// Pulumi CLI, phase by phase (preview, up, a no-change up, refresh, destroy), for each program of engine-programs.ts:
// our provider (OAuthApplication), the component (AlationClaudeConnector) and the minimal provider (Pulumi's own
// floor). The kinds take turns phase by phase, so that all see the same moments of a shared machine; each repetition
// is a fresh set of stacks. Per phase: the CLI command's wall time, the requests the tenants received, and the CPU
// time of the dynamic-provider process(es) the CLI started.
import * as fs from "node:fs";
import * as path from "node:path";
import { engineCli, temporaryFolder, type EngineStack } from "../tests/engine/harness";
import { ADMIN_TOKEN, type TestTenant } from "../tests/support/test-tenant";
import { readCount, resetCount } from "./counting";
import { PROGRAM_KINDS, programProject, type ProgramKind } from "./engine-programs";
import { startLatencyTenants } from "./server-run";
import { median, ratio, round } from "./stats";

/** The engine benchmark's size. */
export interface EngineOptions {
  connectors: number;
  tenants: number;
  latencyMs: number;
  /** Fresh pairs of stacks; the median of each figure is reported. */
  repetitions: number;
}

export const ENGINE_PHASES = ["preview", "up", "upNoChange", "refresh", "destroy"] as const;
export type EnginePhase = (typeof ENGINE_PHASES)[number];

/** One phase of one kind (medians over the repetitions). */
export interface PhaseFigures {
  /** The CLI command, from spawn to exit. */
  wallMs: number;
  /** Requests the tenants received (admin API and token endpoint; the tenant probe's apart). */
  requests: number;
  /** requests / connectors. */
  requestsPerConnector: number;
  /** The tenant probe's requests (no credential; once per tenant per provider process the command started). */
  probeRequests: number;
  /** CPU time of the dynamic-provider process(es) the command started, in all (from their start to their end). */
  providerCpuMs: number;
  /** CPU time of the program's node process (none in refresh and destroy, which do not run the program). */
  programCpuMs: number;
  /** The wall time of every repetition, in order. */
  wallMsSamples: number[];
}

/** One phase, every kind, and the same-run ratios to the minimal provider. */
export interface PhaseResult extends Record<ProgramKind, PhaseFigures> {
  /** provider / minimal, wall time. */
  providerToMinimal: number;
  /** provider / minimal, the provider processes' CPU time. */
  providerCpuToMinimal: number;
  /** connector / minimal, wall time. */
  connectorToMinimal: number;
  /** connector / minimal, the provider processes' CPU time. */
  connectorCpuToMinimal: number;
  /** plugin / connector, wall time: the component through the provider plugin beside the dynamic provider. */
  pluginToConnector: number;
  /** plugin / connector, the provider processes' CPU time. */
  pluginCpuToConnector: number;
}

/** Every phase; or why the engine was not run. */
export type EngineResult =
  ({ skipped?: undefined; cli: string } & EngineOptions & Record<EnginePhase, PhaseResult>) | { skipped: string };

const PREFIX_NODE_OPTIONS = `--require ${JSON.stringify(path.join(__dirname, "cpu-at-exit.js"))}`;

/** Runs the engine benchmark, or says why not (no Pulumi CLI here). */
export async function measureEngine(options: EngineOptions): Promise<EngineResult> {
  const { cli, reason } = engineCli();
  if (!cli) return { skipped: reason ?? "no Pulumi CLI" };
  const tenants = await startLatencyTenants(options.tenants, options.latencyMs);
  try {
    const settings = {
      tenants: tenants.map((tenant) => tenant.url),
      connectors: options.connectors,
      token: ADMIN_TOKEN,
    };
    const projects = byKind((kind) => programProject(kind, settings));
    const samples = byKind((): Array<Record<EnginePhase, Sample>> => []);
    for (let repetition = 0; repetition < options.repetitions; repetition++) {
      const stacks: Partial<Record<ProgramKind, EngineStack>> = {};
      for (const kind of PROGRAM_KINDS) stacks[kind] = await probedStack(projects[kind]);
      const runs = byKind(() => ({}) as Record<EnginePhase, Sample>);
      for (const phase of ENGINE_PHASES) {
        for (const kind of PROGRAM_KINDS) runs[kind][phase] = await runPhase(stacks[kind]!, phase, tenants);
      }
      for (const kind of PROGRAM_KINDS) samples[kind].push(runs[kind]);
    }
    const phases = {} as Record<EnginePhase, PhaseResult>;
    for (const phase of ENGINE_PHASES) {
      const figures = byKind((kind) =>
        summarize(
          samples[kind].map((run) => run[phase]),
          options.connectors,
        ),
      );
      const { provider, connector, plugin, minimal } = figures;
      phases[phase] = {
        ...figures,
        providerToMinimal: ratio(provider.wallMs, minimal.wallMs),
        providerCpuToMinimal: ratio(provider.providerCpuMs, minimal.providerCpuMs),
        connectorToMinimal: ratio(connector.wallMs, minimal.wallMs),
        connectorCpuToMinimal: ratio(connector.providerCpuMs, minimal.providerCpuMs),
        pluginToConnector: ratio(plugin.wallMs, connector.wallMs),
        pluginCpuToConnector: ratio(plugin.providerCpuMs, connector.providerCpuMs),
      };
    }
    return { cli: `${cli.version} (${cli.source})`, ...options, ...phases };
  } finally {
    await Promise.all(tenants.map((tenant) => tenant.stop()));
  }
}

function byKind<T>(make: (kind: ProgramKind) => T): Record<ProgramKind, T> {
  return Object.fromEntries(PROGRAM_KINDS.map((kind) => [kind, make(kind)])) as Record<ProgramKind, T>;
}

interface Sample {
  wallMs: number;
  requests: number;
  probeRequests: number;
  providerCpuMs: number;
  programCpuMs: number;
}

/** A new stack of `project` whose dynamic-provider processes report their CPU time into a folder of its own. */
async function probedStack(project: ReturnType<typeof programProject>): Promise<EngineStack> {
  const cpuDir = temporaryFolder("alation-bench-cpu-");
  return project.stack({}, { env: { NODE_OPTIONS: PREFIX_NODE_OPTIONS, BENCH_CPU_DIR: cpuDir } });
}

const COMMANDS: Record<EnginePhase, string[]> = {
  preview: ["preview"],
  up: ["up", "--yes", "--skip-preview"],
  upNoChange: ["up", "--yes", "--skip-preview"],
  refresh: ["refresh", "--yes", "--skip-preview"],
  destroy: ["destroy", "--yes", "--skip-preview"],
};

/** Runs one phase's command; counts the tenants' requests and reads what the provider processes reported. */
async function runPhase(stack: EngineStack, phase: EnginePhase, tenants: TestTenant[]): Promise<Sample> {
  await Promise.all(tenants.map(resetCount));
  const started = performance.now();
  const result = await stack.pulumi(COMMANDS[phase]);
  const wallMs = performance.now() - started;
  const counts = await Promise.all(tenants.map(readCount));
  if (phase === "upNoChange" && /\b\d+ (created|updated|deleted|replaced)\b/.test(result.stdout)) {
    throw new Error(`the second up changed something:\n${result.stdout}`);
  }
  return {
    wallMs,
    requests: counts.reduce((sum, count) => sum + count.requests, 0),
    probeRequests: counts.reduce((sum, count) => sum + count.probe.requests, 0),
    ...takeReportedCpuMs(String(stack.env.BENCH_CPU_DIR)),
  };
}

/** The CPU time the provider and program processes reported into `dir` since the last call (reports removed). */
function takeReportedCpuMs(dir: string): Pick<Sample, "providerCpuMs" | "programCpuMs"> {
  const cpuMs = { provider: 0, program: 0 };
  for (const file of fs.readdirSync(dir)) {
    const report = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as {
      role: "provider" | "program";
      cpuMs: number;
    };
    cpuMs[report.role] += report.cpuMs;
    fs.rmSync(path.join(dir, file));
  }
  return { providerCpuMs: cpuMs.provider, programCpuMs: cpuMs.program };
}

function summarize(samples: Sample[], connectors: number): PhaseFigures {
  const requests = median(samples.map((sample) => sample.requests));
  return {
    wallMs: round(median(samples.map((sample) => sample.wallMs))),
    requests,
    requestsPerConnector: round(requests / connectors, 2),
    probeRequests: median(samples.map((sample) => sample.probeRequests)),
    providerCpuMs: round(median(samples.map((sample) => sample.providerCpuMs))),
    programCpuMs: round(median(samples.map((sample) => sample.programCpuMs))),
    wallMsSamples: samples.map((sample) => round(sample.wallMs)),
  };
}
