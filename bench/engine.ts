// The real engine: a stack of N connectors over T emulated tenants (+latency on every admin call) driven through the
// Pulumi CLI, phase by phase (preview, up, a no-change up, refresh, destroy), for each program of engine-programs.ts:
// our provider (OAuthApplication), the component (AlationClaudeConnector), the minimal provider (Pulumi's own
// floor) and the minimal component (the floor for a component). The kinds take turns phase by phase, so that all
// see the same moments of a shared machine; each repetition is a fresh set of stacks. Per phase: the CLI command's
// wall time, the requests the tenants received, and the CPU time and lifetime of the program and of the
// dynamic-provider process(es) the CLI started. The smallest case (one connector, one tenant: a newcomer's first
// stack) runs the same way, for the component and the minimal provider.
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
  /** Also run the smallest case (one connector, one tenant); the quick run leaves it out, for its time. */
  smallestCase: boolean;
  /** Run the commands with PULUMI_SKIP_CHECKPOINTS=true (options.ts says why). */
  skipCheckpoints?: boolean;
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
  /** The program's node process, from its start to its exit (0 in refresh and destroy). */
  programLifetimeMs: number;
  /** The longest-lived dynamic-provider process the command started, from its start to its end. */
  providerLifetimeMs: number;
  /** The wall time of every repetition, in order. */
  wallMsSamples: number[];
}

/** The same-run ratios of one phase (those whose kinds were run). */
export interface PhaseRatios {
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
  /** connector / minimal, the program's CPU time. */
  connectorProgramCpuToMinimal: number;
  /** minimal-component / minimal, wall time: Pulumi's price for a component. */
  minimalComponentToMinimal: number;
  /** connector / minimal-component, wall time: ours, a component to a component. */
  connectorToMinimalComponent: number;
  /** connector / minimal-component, the provider processes' CPU time. */
  connectorCpuToMinimalComponent: number;
  /** connector / minimal-component, the program's CPU time. */
  connectorProgramCpuToMinimalComponent: number;
}

/** One phase, each kind run, and the same-run ratios. */
export type PhaseResult<K extends ProgramKind = ProgramKind> = Record<K, PhaseFigures> & Partial<PhaseRatios>;

/** Every phase of the kinds run. */
export type EnginePhases<K extends ProgramKind = ProgramKind> = { cli: string } & EngineOptions &
  Record<EnginePhase, PhaseResult<K>>;

/** The smallest case's kinds: the component beside the minimal provider. */
export const SMALLEST_KINDS = ["connector", "minimal"] as const;
export type SmallestKind = (typeof SMALLEST_KINDS)[number];

/** The smallest case's phases, or why it was not run. */
export type SmallestResult = ({ skipped?: undefined } & EnginePhases<SmallestKind>) | { skipped: string };

/** Every phase of every kind, and the smallest case; or why the engine was not run. */
export type EngineResult =
  ({ skipped?: undefined } & EnginePhases & { smallest: SmallestResult }) | { skipped: string };

const PREFIX_NODE_OPTIONS = `--require ${JSON.stringify(path.join(__dirname, "cpu-at-exit.js"))}`;

/** Runs the engine benchmark and its smallest case, or says why not (no Pulumi CLI here). */
export async function measureEngine(options: EngineOptions): Promise<EngineResult> {
  if (!engineCli().cli) return { skipped: engineCli().reason ?? "no Pulumi CLI" };
  const all = await measureKinds(options, PROGRAM_KINDS);
  const smallest = options.smallestCase
    ? await measureKinds({ ...options, connectors: 1, tenants: 1 }, SMALLEST_KINDS)
    : { skipped: "--quick" };
  return { ...all, smallest };
}

/** Every phase for `kinds`, taking turns phase by phase. */
async function measureKinds<K extends ProgramKind>(
  options: EngineOptions,
  kinds: readonly K[],
): Promise<EnginePhases<K>> {
  const cli = engineCli().cli!;
  const byKind = <T>(make: (kind: K) => T): Record<K, T> =>
    Object.fromEntries(kinds.map((kind) => [kind, make(kind)])) as Record<K, T>;
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
      const stacks = {} as Record<K, EngineStack>;
      for (const kind of kinds) stacks[kind] = await probedStack(projects[kind], options.skipCheckpoints);
      const runs = byKind(() => ({}) as Record<EnginePhase, Sample>);
      for (const phase of ENGINE_PHASES) {
        for (const kind of kinds) runs[kind][phase] = await runPhase(stacks[kind], phase, tenants);
      }
      for (const kind of kinds) samples[kind].push(runs[kind]);
    }
    const phases = {} as Record<EnginePhase, PhaseResult<K>>;
    for (const phase of ENGINE_PHASES) {
      const figures = byKind((kind) =>
        summarize(
          samples[kind].map((run) => run[phase]),
          options.connectors,
        ),
      );
      phases[phase] = { ...figures, ...ratiosOf(figures) };
    }
    return { cli: `${cli.version} (${cli.source})`, ...options, ...phases };
  } finally {
    await Promise.all(tenants.map((tenant) => tenant.stop()));
  }
}

/** The ratios whose two kinds were both run. */
function ratiosOf(figures: Partial<Record<ProgramKind, PhaseFigures>>): Partial<PhaseRatios> {
  const ratios: Partial<PhaseRatios> = {};
  const set = (key: keyof PhaseRatios, a: ProgramKind, b: ProgramKind, figure: keyof PhaseFigures) => {
    const [x, y] = [figures[a]?.[figure], figures[b]?.[figure]];
    if (typeof x === "number" && typeof y === "number" && y > 0) ratios[key] = ratio(x, y);
  };
  set("providerToMinimal", "provider", "minimal", "wallMs");
  set("providerCpuToMinimal", "provider", "minimal", "providerCpuMs");
  set("connectorToMinimal", "connector", "minimal", "wallMs");
  set("connectorCpuToMinimal", "connector", "minimal", "providerCpuMs");
  set("connectorProgramCpuToMinimal", "connector", "minimal", "programCpuMs");
  set("minimalComponentToMinimal", "minimal-component", "minimal", "wallMs");
  set("connectorToMinimalComponent", "connector", "minimal-component", "wallMs");
  set("connectorCpuToMinimalComponent", "connector", "minimal-component", "providerCpuMs");
  set("connectorProgramCpuToMinimalComponent", "connector", "minimal-component", "programCpuMs");
  set("pluginToConnector", "plugin", "connector", "wallMs");
  set("pluginCpuToConnector", "plugin", "connector", "providerCpuMs");
  return ratios;
}

interface Sample {
  wallMs: number;
  requests: number;
  probeRequests: number;
  providerCpuMs: number;
  programCpuMs: number;
  programLifetimeMs: number;
  providerLifetimeMs: number;
}

/** A new stack of `project` whose dynamic-provider processes report their CPU time into a folder of its own. */
async function probedStack(project: ReturnType<typeof programProject>, skipCheckpoints = false): Promise<EngineStack> {
  const cpuDir = temporaryFolder("alation-bench-cpu-");
  const env = { NODE_OPTIONS: PREFIX_NODE_OPTIONS, BENCH_CPU_DIR: cpuDir };
  return project.stack({}, { env: skipCheckpoints ? { ...env, PULUMI_SKIP_CHECKPOINTS: "true" } : env });
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

/**
 * The CPU time (in all) and the longest lifetime the provider and program processes reported into `dir` since the
 * last call (reports removed).
 */
function takeReportedCpuMs(
  dir: string,
): Pick<Sample, "providerCpuMs" | "programCpuMs" | "providerLifetimeMs" | "programLifetimeMs"> {
  const cpuMs = { provider: 0, program: 0 };
  const lifetimeMs = { provider: 0, program: 0 };
  for (const file of fs.readdirSync(dir)) {
    const report = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as {
      role: "provider" | "program";
      cpuMs: number;
      lifetimeMs: number;
    };
    cpuMs[report.role] += report.cpuMs;
    lifetimeMs[report.role] = Math.max(lifetimeMs[report.role], report.lifetimeMs);
    fs.rmSync(path.join(dir, file));
  }
  return {
    providerCpuMs: cpuMs.provider,
    programCpuMs: cpuMs.program,
    providerLifetimeMs: lifetimeMs.provider,
    programLifetimeMs: lifetimeMs.program,
  };
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
    programLifetimeMs: round(median(samples.map((sample) => sample.programLifetimeMs))),
    providerLifetimeMs: round(median(samples.map((sample) => sample.providerLifetimeMs))),
    wallMsSamples: samples.map((sample) => round(sample.wallMs)),
  };
}
