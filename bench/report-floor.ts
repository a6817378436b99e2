// The readable tables of the comparison with Pulumi's own floor: the rollout beside the minimal provider, the scale
// run, and the engine's phases.
import { ENGINE_PHASES, type EnginePhase, type PhaseFigures, type PhaseResult } from "./engine";
import { PROGRAM_KINDS, type ProgramKind } from "./engine-programs";
import type { BenchReport } from "./bench-report";
import type { ScaleRun } from "./scale";

type Table = (title: string, header: string[], rows: Array<Array<string | number>>) => string;

/** The sections, formatted with the report's `table`. */
export function floorSections(report: BenchReport, table: Table): string[] {
  return [rolloutSection(report, table), scaleSection(report, table), engineSection(report, table)];
}

function rolloutSection({ rollout }: BenchReport, table: Table): string {
  const { provider, minimal, providerToMinimal } = rollout;
  const row = (name: string, run: typeof provider) => [
    name,
    run.wallMs,
    run.cpuMs,
    run.cpuMsPerConnector,
    run.mainThreadCpuMsPerConnector,
    run.requestsPerConnector,
    run.peakMemoryMiB,
  ];
  return table(
    "rollout against Pulumi's floor: the minimal provider through the same server, same tenants, same run",
    ["provider", "wall ms", "provider CPU ms", "CPU ms/connector", "main thread", "requests/connector", "peak MiB"],
    [
      row("pulumi-alation", provider),
      row("minimal", minimal),
      [
        "ours / minimal",
        providerToMinimal.wallTime,
        "",
        `${providerToMinimal.cpuPerConnector}x, +${providerToMinimal.cpuMsPerConnectorAdded} ms`,
        `+${providerToMinimal.mainThreadCpuMsPerConnectorAdded} ms`,
        "",
        "",
      ],
    ],
  );
}

function scaleSection({ scale }: BenchReport, table: Table): string {
  const rows = (name: string, run: ScaleRun) => [
    ...run.checkpoints.map((at) => [
      name,
      `${at.connectors}`,
      at.cpuMsPerConnector,
      at.residentMiB,
      at.liveHeapMiB,
      at.liveHeapKiBPerConnector,
    ]),
    ...run.slopes.map((slope) => [
      name,
      `${slope.from}..${slope.to}`,
      slope.cpuMsPerConnector,
      `${slope.residentKiBPerConnector >= 0 ? "+" : ""}${slope.residentKiBPerConnector} KiB/connector`,
      "",
      slope.liveHeapKiBPerConnector,
    ]),
  ];
  return table(
    `scale: ${scale.connectors} connectors over ${scale.tenants} tenants, one provider process, ` +
      `+${scale.latencyMs} ms, parallel ${scale.parallel} (checkpoints, then the slopes between them)`,
    ["provider", "connectors", "CPU ms/connector", "resident MiB", "live heap MiB", "live heap KiB/connector"],
    [...rows("pulumi-alation", scale.provider), ...rows("minimal", scale.minimal)],
  );
}

function engineSection({ engine }: BenchReport, table: Table): string {
  if (engine.skipped !== undefined) return `the engine (Pulumi CLI): not run: ${engine.skipped}`;
  const title =
    `the engine (Pulumi CLI ${engine.cli}): ${engine.connectors} connectors over ${engine.tenants} tenants, ` +
    `+${engine.latencyMs} ms, median of ${engine.repetitions}` +
    `${engine.skipCheckpoints ? ", PULUMI_SKIP_CHECKPOINTS=true (the state written once, at the end)" : ""}; ` +
    "provider = OAuthApplication, " +
    "connector = AlationClaudeConnector, plugin = the same through pulumi-resource-alation, " +
    "minimal-component = the minimal provider's resource in a ComponentResource";
  const whole = phaseTable(
    engine,
    PROGRAM_KINDS,
    title,
    table,
    ["x minimal (provider, connector, minimal-component)", "connector x minimal-component", "plugin x connector"],
    (result) => [
      `${result.providerToMinimal}, ${result.connectorToMinimal}, ${result.minimalComponentToMinimal}`,
      `${result.connectorToMinimalComponent} (CPU: provider ${result.connectorCpuToMinimalComponent}, ` +
        `program ${result.connectorProgramCpuToMinimalComponent ?? "none"})`,
      `${result.pluginToConnector} (CPU: provider ${result.pluginCpuToConnector})`,
    ],
  );
  const { smallest } = engine;
  if (smallest.skipped !== undefined)
    return `${whole}\n\nthe smallest case (one connector): not run: ${smallest.skipped}`;
  const small = phaseTable(
    smallest,
    ["connector", "minimal"],
    `the smallest case: one connector, one tenant (a newcomer's first stack), median of ${smallest.repetitions}; ` +
      "the program's and the longest provider process's lifetimes show where the command's seconds go",
    table,
    ["connector x minimal", "connector CPU x minimal"],
    (result) => [
      `${result.connectorToMinimal}`,
      `provider ${result.connectorCpuToMinimal}, program ${result.connectorProgramCpuToMinimal ?? "none"}`,
    ],
  );
  return `${whole}\n\n${small}`;
}

/** One row per phase: each kind's figures in `kinds` order, with the ratios `ratios` picks. */
function phaseTable<K extends ProgramKind>(
  phases: Record<EnginePhase, PhaseResult<K>>,
  kinds: readonly K[],
  title: string,
  table: Table,
  ratioHeaders: string[],
  ratios: (result: PhaseResult<K>) => string[],
): string {
  const each = (result: PhaseResult<K>, figure: keyof PhaseFigures) =>
    kinds.map((kind) => (result[kind] as PhaseFigures)[figure]).join(", ");
  return table(
    title,
    [
      "phase",
      `wall ms (${kinds.join(", ")})`,
      ...ratioHeaders,
      "requests/connector",
      "probe requests",
      "provider CPU ms",
      "program CPU ms",
      "program lifetime ms",
      "provider lifetime ms",
    ],
    ENGINE_PHASES.map((phase) => {
      const result = phases[phase];
      return [
        phase,
        each(result, "wallMs"),
        ...ratios(result),
        each(result, "requestsPerConnector"),
        each(result, "probeRequests"),
        each(result, "providerCpuMs"),
        each(result, "programCpuMs"),
        each(result, "programLifetimeMs"),
        each(result, "providerLifetimeMs"),
      ];
    }),
  );
}
