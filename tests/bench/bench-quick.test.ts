// `npm run bench -- --quick` once, so the benchmark cannot rot: it must print every figure, and the behaviour it
// measures must hold (small __provider, no network in preview, one request per operation, no Kubernetes client or
// ssh2 in a REST-only stack; through the real engine, no request in preview or a no-change up, one per connector in
// up and refresh, two in destroy). Timings are printed by the benchmark, never asserted here.
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as path from "node:path";
import type { BenchReport } from "../../bench/bench-report";
import { ENGINE_PHASES } from "../../bench/engine";
import { PROGRAM_KINDS } from "../../bench/engine-programs";
import { engineCli } from "../engine/harness";

const repoRoot = path.resolve(__dirname, "..", "..");

/** Runs the quick benchmark; its JSON (stdout), its table (stderr) and its exit code. */
function runQuickBench(): Promise<{ report: BenchReport; table: string; exitCode: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "bench/index.ts", "--quick"], {
      cwd: repoRoot,
      env: { ...process.env, TS_NODE_PROJECT: "tsconfig.json" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    // Five program kinds through the engine: some 2.5 minutes on a quiet machine, four at a load average of 6.
    const timer = setTimeout(() => child.kill("SIGKILL"), 540_000);
    child.once("error", reject);
    child.once("exit", (exitCode) => {
      clearTimeout(timer);
      try {
        resolve({ report: JSON.parse(stdout), table: stderr, exitCode });
      } catch {
        reject(new Error(`the benchmark printed no JSON (exit ${exitCode}):\n${stderr}\n${stdout}`));
      }
    });
  });
}

/** The value at a dotted path. */
function at(report: unknown, dotted: string): unknown {
  return dotted
    .split(".")
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], report);
}

const FIGURES = [
  "providerBytes.oauthApplication.providerBytes",
  "providerBytes.oauthApplication.stateBytes",
  "providerBytes.oauthApplication.share",
  "providerBytes.featureFlag.providerBytes",
  "providerBytes.featureFlag.stateBytes",
  "providerBytes.featureFlag.share",
  "coldStart.oauthApplication.spawnToFirstCheckMs",
  "coldStart.oauthApplication.peakMemoryMiB",
  "coldStart.oauthApplication.modules.files",
  "coldStart.baseline.spawnToFirstCheckMs",
  "coldStart.baseline.peakMemoryMiB",
  "coldStart.ratio",
  "coldStart.plugin.spawnToFirstCheckMs",
  "coldStart.plugin.peakMemoryMiB",
  "coldStart.pluginToDynamic",
  "restStackModules.files",
  ...["checkPreview", "check", "diff", "create", "read", "update", "rotate", "updateAndRotate", "delete"].map(
    (operation) => `requests.apiAccessToken.${operation}.requests`,
  ),
  ...["refreshToken", "clientCredentials"].flatMap((mode) =>
    ["create", "read", "delete"].map((operation) => `requests.tokenModes.${mode}.${operation}.requests`),
  ),
  "rollout.lowerBoundMs",
  "rollout.provider.wallMs",
  "rollout.provider.ratioToLowerBound",
  "rollout.provider.requestsPerConnector",
  "rollout.provider.connectionsPerTenant.mean",
  "rollout.provider.peakMemoryMiB",
  "rollout.provider.cpuMs",
  "rollout.peakMemoryToBaseline",
  "rollout.naive.wallMs",
  "rollout.naive.connectionsPerTenant.mean",
  "rollout.providerToNaive.wallTime",
  "rollout.providerToNaive.connections",
  "rollout.minimal.wallMs",
  "rollout.minimal.cpuMsPerConnector",
  "rollout.minimal.requestsPerConnector",
  "rollout.providerToMinimal.wallTime",
  "rollout.providerToMinimal.cpuPerConnector",
  "rollout.providerToMinimal.cpuMsPerConnectorAdded",
  "rollout.providerToMinimal.mainThreadCpuMsPerConnectorAdded",
  "rollout.provider.mainThreadCpuMsPerConnector",
  "rollout.minimal.mainThreadCpuMsPerConnector",
  ...["provider", "minimal"].flatMap((run) => [
    ...[0, 1, 2].flatMap((at) =>
      ["connectors", "cpuMsPerConnector", "residentMiB", "liveHeapMiB", "liveHeapKiBPerConnector"].map(
        (figure) => `scale.${run}.checkpoints.${at}.${figure}`,
      ),
    ),
    ...[0, 1].flatMap((at) =>
      ["cpuMsPerConnector", "liveHeapKiBPerConnector", "residentKiBPerConnector"].map(
        (figure) => `scale.${run}.slopes.${at}.${figure}`,
      ),
    ),
    `scale.${run}.cpuSlopeRatio`,
    `scale.${run}.peakMemoryMiB`,
  ]),
  "machine.nproc",
];

const PHASE_FIGURES = [
  "wallMs",
  "requests",
  "requestsPerConnector",
  "providerCpuMs",
  "programCpuMs",
  "programLifetimeMs",
  "providerLifetimeMs",
];
const ENGINE_FIGURES = ENGINE_PHASES.flatMap((phase) => [
  ...PROGRAM_KINDS.flatMap((kind) => PHASE_FIGURES.map((figure) => `engine.${phase}.${kind}.${figure}`)),
  ...[
    "providerToMinimal",
    "providerCpuToMinimal",
    "connectorToMinimal",
    "connectorCpuToMinimal",
    "pluginToConnector",
    "pluginCpuToConnector",
    "minimalComponentToMinimal",
    "connectorToMinimalComponent",
    "connectorCpuToMinimalComponent",
  ].map((ratio) => `engine.${phase}.${ratio}`),
]);

/** The figures that are not finite numbers in the report. */
function missingFigures(report: unknown, figures: string[]): string[] {
  return figures.filter((figure) => typeof at(report, figure) !== "number" || !Number.isFinite(at(report, figure)));
}

describe("npm run bench -- --quick", function () {
  this.timeout(570_000);
  let run: Awaited<ReturnType<typeof runQuickBench>>;

  before(async () => {
    run = await runQuickBench();
  });

  it("prints every figure as a number, the table and the goals", () => {
    assert.deepEqual(missingFigures(run.report, FIGURES), [], "figures missing from the JSON document");
    for (const goal of [
      "providerBytesUnder1KiB",
      "zeroNetworkInPreview",
      "oneRequestPerOperation",
      "rolloutWithin1_5xOfLowerBound",
      "rolloutWithin1_15xOfMinimal",
      "rolloutCpuWithinMinimalPlus0_5msPerConnector",
      "engineNoRequestInPreviewOrNoChangeUp",
      "engineOneRequestPerConnector",
      "engineProviderWithin1_15xOfMinimal",
      "engineConnectorWithin1_15xOfMinimal",
      "engineConnectorWithin1_15xOfMinimalComponent",
      "scaleStaysFlat",
    ]) {
      assert.equal(typeof at(run.report, `goals.${goal}.met`), "boolean", goal);
    }
    assert.match(run.table, /__provider in state/);
    assert.match(run.table, /rollout: 20 connectors, 3 tenants/);
    assert.match(run.table, /rollout against Pulumi's floor/);
    assert.match(run.table, /scale: 30 connectors over 3 tenants/);
  });

  it("keeps each resource's __provider under 1 KiB", () => {
    assert.ok(run.report.providerBytes.oauthApplication.providerBytes < 1024, JSON.stringify(run.report.providerBytes));
    assert.ok(run.report.providerBytes.featureFlag.providerBytes < 1024, JSON.stringify(run.report.providerBytes));
  });

  it("makes no request in check and diff (preview)", () => {
    const api = run.report.requests.apiAccessToken;
    assert.deepEqual([api.checkPreview.requests, api.check.requests, api.diff.requests], [0, 0, 0]);
  });

  it("requests: a listing per tenant before creates, a proof of the secret in read and delete", () => {
    const api = run.report.requests.apiAccessToken;
    const [list, item] = ["/integration/core/v1/oauth/clients/", "/integration/core/v1/oauth/clients/{client_id}/"];
    // The process's first create lists the tenant to learn that its default name is free (the tenant probe is
    // counted apart: the next test).
    assert.deepEqual(api.create.byRoute, { [`GET ${list}`]: 1, [`POST ${list}`]: 1 });
    // Read finds out whether the recorded secret still works; delete proves it before it deletes.
    assert.deepEqual(api.read.byRoute, { [`GET ${item}`]: 1, "POST /oauth/v1/token/": 1 });
    for (const operation of ["update", "rotate"] as const) {
      assert.equal(api[operation].requests, 1, `${operation}: ${JSON.stringify(api[operation].byRoute)}`);
    }
    assert.deepEqual(api.delete.byRoute, { "POST /oauth/v1/token/": 1, [`DELETE ${item}`]: 1 });
    // The other ways to authenticate exchange their credential first; their creates, under default names of their
    // own, use the listing of the first.
    for (const mode of ["refreshToken", "clientCredentials"] as const) {
      const costs = run.report.requests.tokenModes[mode];
      const counts = [costs.create.requests, costs.read.requests, costs.delete.requests];
      assert.deepEqual(counts, [2, 2, 2], `${mode}: ${JSON.stringify(costs)}`);
      assert.equal(costs.create.byRoute[`GET ${list}`], undefined, mode);
    }
    // Under default names (the README's way), a rollout lists each tenant once, then creates: 20 + 3 requests.
    const { connectors, tenants } = run.report.rollout;
    assert.equal(run.report.rollout.provider.requestsPerConnector, (connectors + tenants) / connectors);
    assert.equal(run.report.rollout.minimal.requestsPerConnector, 1);
  });

  it("counts the tenant probe apart: paid once by the first operation of a fresh provider process", () => {
    const { apiAccessToken, tokenModes } = run.report.requests;
    assert.deepEqual(apiAccessToken.create.probe, { requests: 1, byRoute: { "GET /openapi/oauth2/": 1 } });
    const later = [
      ...Object.entries(apiAccessToken).filter(([operation]) => operation !== "create"),
      ...Object.entries(tokenModes).flatMap(([mode, costs]) =>
        Object.entries(costs).map(([op, c]) => [`${mode} ${op}`, c]),
      ),
    ] as Array<[string, { probe: { requests: number } }]>;
    for (const [operation, cost] of later) assert.equal(cost.probe.requests, 0, operation);
    assert.match(run.table, /probe \(no credential\)/);
    assert.match(run.table, /1: 1 x GET \/openapi\/oauth2\//);
  });

  it("through the Pulumi CLI: no request in preview or a no-change up, one per connector in up, refresh", function () {
    const { engine } = run.report;
    if (engine.skipped !== undefined) {
      // Without a CLI the benchmark says why; .ci/run has one (and the engine suite fails without it).
      assert.ok(!engineCli().cli, `a Pulumi CLI is here, yet the engine was skipped: ${engine.skipped}`);
      return this.skip();
    }
    assert.deepEqual(missingFigures(run.report, ENGINE_FIGURES), [], "engine figures missing from the JSON document");
    assert.equal(engine.connectors, 20);
    const perConnector = (kind: (typeof PROGRAM_KINDS)[number]) =>
      ENGINE_PHASES.map((phase) => engine[phase][kind].requestsPerConnector);
    // preview, up, upNoChange, refresh, destroy: a create under its default name lists its tenant once per provider
    // process, a refresh and a destroy prove the recorded secret at the token endpoint; the tenant probe adds a few
    // requests per provider process.
    const whole = (figures: number[]) => figures.map(Math.floor);
    const probes = (figures: number[]) => figures.every((figure) => figure - Math.floor(figure) < 0.5);
    for (const kind of ["provider", "connector", "plugin"] as const) {
      assert.deepEqual(whole(perConnector(kind)), [0, 1, 0, 2, 2], kind);
      assert.ok(probes(perConnector(kind)), `${kind}: ${perConnector(kind).join(", ")}`);
    }
    assert.deepEqual(perConnector("minimal"), [0, 1, 0, 1, 1]);
    assert.deepEqual(perConnector("minimal-component"), [0, 1, 0, 1, 1]);
    // The smallest case (one connector) is left out of the quick run, for its time, and says so.
    assert.deepEqual(engine.smallest, { skipped: "--quick" });
    assert.match(run.table, /the engine \(Pulumi CLI/);
    assert.match(run.table, /the smallest case \(one connector\): not run: --quick/);
  });

  it("loads neither the Kubernetes client nor ssh2 for a REST-only stack, and exits 0", () => {
    assert.deepEqual(run.report.coldStart.oauthApplication.modules.shellOnlyPackagesLoaded, []);
    assert.deepEqual(run.report.restStackModules.shellOnlyPackagesLoaded, []);
    assert.ok(run.report.restStackModules.libraryFiles.length > 0, "the module list holds pulumi-alation's own files");
    assert.equal(run.report.shellOnlyPackagesLoaded, false);
    assert.equal(run.exitCode, 0, run.table);
  });
});
