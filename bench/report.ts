// The benchmark's readable table, from its JSON document.
import type { BenchReport } from "./bench-report";
import { floorSections } from "./report-floor";

/** The report as aligned text tables, one per section. */
export function formatReport(report: BenchReport): string {
  const sections = [
    heading(report),
    providerBytesTable(report),
    coldStartTable(report),
    restStackLine(report),
    ...requestTables(report),
    rolloutTable(report),
    rolloutCpuLine(report),
    ...floorSections(report, table),
    table(
      "goals",
      ["goal", "met", "measured"],
      Object.entries(report.goals).map(([goal, { met, measured }]) => [goal, met ? "yes" : "NO", measured]),
    ),
  ];
  return sections.join("\n\n") + "\n";
}

function heading({ machine, options, durationSeconds }: BenchReport): string {
  return (
    `pulumi-alation benchmark (${options.quick ? "quick" : "full"}) on ${machine.nproc} x ` +
    `${machine.cpuModel}, Node ${machine.node}, ${machine.date} (load average ${machine.loadAverageAtStart} at ` +
    `start), ${durationSeconds} s`
  );
}

function providerBytesTable({ providerBytes }: BenchReport): string {
  return table(
    "__provider in state",
    ["resource", "__provider bytes", "state bytes", "share"],
    [
      ...(["oauthApplication", "featureFlag"] as const).map((name) => [
        name,
        providerBytes[name].providerBytes,
        providerBytes[name].stateBytes,
        percent(providerBytes[name].share),
      ]),
    ],
  );
}

function coldStartTable({ coldStart }: BenchReport): string {
  return table(
    `cold start (median of ${coldStart.samples})`,
    ["provider", "spawn to listening ms", "spawn to first Check ms", "peak MiB", "modules"],
    [
      ...(["baseline", "oauthApplication"] as const).map((name) => [
        name,
        coldStart[name].spawnToListeningMs,
        coldStart[name].spawnToFirstCheckMs,
        coldStart[name].peakMemoryMiB,
        coldStart[name].modules.files,
      ]),
      ["ratio / added", "", `${coldStart.ratio}x / +${coldStart.addedMs} ms`, "", ""],
      [
        "plugin (pulumi-resource-alation)",
        coldStart.plugin.spawnToListeningMs,
        coldStart.plugin.spawnToFirstCheckMs,
        coldStart.plugin.peakMemoryMiB,
        "",
      ],
      ["plugin / oauthApplication", "", `${coldStart.pluginToDynamic}x`, "", ""],
    ],
  );
}

function restStackLine({ restStackModules }: BenchReport): string {
  return (
    `REST-only stack loaded ${restStackModules.files} modules; ` +
    `pulumi-alation files: ${restStackModules.libraryFiles.length}; ` +
    `shell-only packages loaded: ${restStackModules.shellOnlyPackagesLoaded.join(", ") || "none"}`
  );
}

function requestTables({ requests }: BenchReport): string[] {
  return [
    table(
      "HTTP requests per operation (apiAccessToken, a fresh provider process)",
      ["operation", "requests", "routes", "probe (no credential)"],
      [
        ...Object.entries(requests.apiAccessToken).map(([operation, cost]) => [
          operation,
          cost.requests,
          routes(cost.byRoute),
          probeCell(cost.probe),
        ]),
      ],
    ),
    table(
      "HTTP requests per operation (token modes, in order, one process)",
      ["mode", "operation", "requests", "routes", "probe (no credential)"],
      [
        ...Object.entries(requests.tokenModes).flatMap(([mode, operations]) =>
          Object.entries(operations).map(([operation, cost]) => [
            mode,
            operation,
            cost.requests,
            routes(cost.byRoute),
            probeCell(cost.probe),
          ]),
        ),
      ],
    ),
  ];
}

/** The tenant probe's requests: their number, and by route. */
function probeCell(probe: { requests: number; byRoute: Record<string, number> }): string {
  return probe.requests === 0 ? "0" : `${probe.requests}: ${routes(probe.byRoute)}`;
}

function rolloutTable({ rollout }: BenchReport): string {
  return table(
    `rollout: ${rollout.connectors} connectors, ${rollout.tenants} tenants, +${rollout.latencyMs} ms, ` +
      `parallel ${rollout.parallel}, ` +
      `lower bound ${rollout.lowerBoundMs} ms, median of ${rollout.repetitions}`,
    [
      "client",
      "wall ms",
      "x lower bound",
      "requests/connector",
      "probe requests",
      "connections/tenant (min..max, mean)",
      "peak MiB",
    ],
    [
      [
        "provider",
        rollout.provider.wallMs,
        rollout.provider.ratioToLowerBound,
        rollout.provider.requestsPerConnector,
        rollout.provider.probeRequests,
        spread(rollout.provider.connectionsPerTenant),
        rollout.provider.peakMemoryMiB,
      ],
      [
        "naive",
        rollout.naive.wallMs,
        rollout.naive.ratioToLowerBound,
        rollout.naive.requestsPerConnector,
        rollout.naive.probeRequests,
        spread(rollout.naive.connectionsPerTenant),
        "",
      ],
      ["provider / naive", rollout.providerToNaive.wallTime, "", "", "", rollout.providerToNaive.connections, ""],
    ],
  );
}

function rolloutCpuLine({ rollout }: BenchReport): string {
  return (
    `provider process CPU during the rollout: ${rollout.provider.cpuMs} ms ` +
    `(${rollout.provider.cpuMsPerConnector} ms per connector); ` +
    `wall / max(lower bound, that CPU) = ${rollout.provider.ratioToCpuAwareBound}; this process (tenants, ` +
    `clients): ` +
    `${rollout.provider.driverCpuMs} ms with the provider, ${rollout.naive.driverCpuMs} ms naive; ` +
    `peak memory ${rollout.peakMemoryToBaseline}x the baseline's`
  );
}

function table(title: string, header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? "").length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join("  ")
      .trimEnd();
  return [title, line(header), widths.map((width) => "-".repeat(width)).join("  "), ...cells.slice(1).map(line)].join(
    "\n",
  );
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function routes(byRoute: Record<string, number>): string {
  return Object.entries(byRoute)
    .map(([route, count]) => `${count} x ${route}`)
    .join(", ");
}

function spread(stats: { min: number; max: number; mean: number }): string {
  return `${stats.min}..${stats.max}, ${stats.mean}`;
}
