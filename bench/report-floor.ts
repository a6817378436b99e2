// The readable tables of the comparison with Pulumi's own floor: the rollout beside the minimal provider, the scale
// run, and the engine's phases.
import { ENGINE_PHASES } from "./engine";
import { PROGRAM_KINDS } from "./engine-programs";
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
  const kinds = PROGRAM_KINDS;
  return table(
    `the engine (Pulumi CLI ${engine.cli}): ${engine.connectors} connectors over ${engine.tenants} tenants, ` +
      `+${engine.latencyMs} ms, median of ${engine.repetitions}; provider = OAuthApplication, ` +
      "connector = AlationClaudeConnector, plugin = the same through pulumi-resource-alation",
    [
      "phase",
      `wall ms (${kinds.join(", ")})`,
      "x minimal",
      "plugin x connector (wall, CPU)",
      "requests/connector",
      "probe requests",
      "provider CPU ms",
      "program CPU ms",
    ],
    ENGINE_PHASES.map((phase) => {
      const result = engine[phase];
      return [
        phase,
        kinds.map((kind) => result[kind].wallMs).join(", "),
        `${result.providerToMinimal}, ${result.connectorToMinimal}`,
        `${result.pluginToConnector}, ${result.pluginCpuToConnector}`,
        kinds.map((kind) => result[kind].requestsPerConnector).join(", "),
        kinds.map((kind) => result[kind].probeRequests).join(", "),
        kinds.map((kind) => result[kind].providerCpuMs).join(", "),
        kinds.map((kind) => result[kind].programCpuMs).join(", "),
      ];
    }),
  );
}
