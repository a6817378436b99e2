// `npm run bench`: the cost of the provider, measured. Prints one JSON document (stdout) and a readable table
// (stderr). Every figure is measured in this run beside its baseline; no time is asserted. The exit code is 1 only
// when a REST-only stack made the provider load the Kubernetes client or the SSH library.
// Uses the built dist/ through a packed install (`npm run bench` builds first).
import * as os from "node:os";
import { startTestTenant } from "../tests/support/test-tenant";
import { installedPackageProject } from "../tests/support/installed-package";
import { emulatorCommandEnv } from "../tests/support/provider-harness";
import type { BenchReport, FloorGoal } from "./bench-report";
import { measureColdStart } from "./cold-start";
import { floorGoals, measureAgainstFloor } from "./floor";
import { summarizeModules, type ModuleSummary } from "./modules";
import { parseOptions } from "./options";
import { providerBytesOf } from "./provider-bytes";
import { startProbedServer } from "./provider-process";
import { formatReport } from "./report";
import { measureRequests, type RequestsResult } from "./requests";
import { featureFlag, oauthApplication } from "./resources";
import { measureRollout, type RolloutResult } from "./rollout";
import { round } from "./stats";

const PREVIEW_OPERATIONS = ["checkPreview", "check", "diff"] as const;
const SINGLE_CALL_OPERATIONS = ["create", "read", "update", "rotate", "delete"] as const;

async function main(): Promise<BenchReport> {
  const options = parseOptions(process.argv.slice(2));
  const started = performance.now();
  const loadAverageAtStart = round(os.loadavg()[0], 2);
  const project = installedPackageProject();

  progress(`cold start (${options.coldStartSamples} sample(s) each)`);
  const coldStart = await measureColdStart(project, options.coldStartSamples);

  progress("requests per operation, state sizes, modules of a REST-only stack");
  const lifecycle = await measureLifecycle(project);

  progress(`rollout of ${options.connectors} connectors over ${options.tenants} tenants`);
  const rollout = await measureRollout(project, options);
  const { scale, engine } = await measureAgainstFloor(project, options, progress);

  const { requests, providerBytes, restStackModules } = lifecycle;
  const shellOnly = [
    ...coldStart.oauthApplication.modules.shellOnlyPackagesLoaded,
    ...restStackModules.shellOnlyPackagesLoaded,
  ];
  return {
    machine: {
      nproc: os.availableParallelism(),
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      date: new Date().toISOString(),
      loadAverageAtStart,
    },
    options,
    durationSeconds: round((performance.now() - started) / 1000),
    providerBytes,
    coldStart,
    restStackModules,
    shellOnlyPackagesLoaded: shellOnly.length > 0,
    requests: { apiAccessToken: requests.apiAccessToken, tokenModes: requests.tokenModes },
    rollout: {
      ...rollout,
      peakMemoryToBaseline: round(rollout.provider.peakMemoryMiB / coldStart.baseline.peakMemoryMiB, 2),
    },
    scale,
    engine,
    goals: {
      ...lifecycleGoals(lifecycle, rollout),
      ...floorGoals(rollout, scale, engine),
    },
  };
}

/** The goals of the lifecycle and the rollout against its lower bound. */
function lifecycleGoals(
  { requests, providerBytes }: Awaited<ReturnType<typeof measureLifecycle>>,
  rollout: RolloutResult,
): Omit<BenchReport["goals"], FloorGoal> {
  const api = requests.apiAccessToken;
  const largestProvider = Math.max(
    providerBytes.oauthApplication.providerBytes,
    providerBytes.featureFlag.providerBytes,
  );
  return {
    providerBytesUnder1KiB: { met: largestProvider < 1024, measured: `${largestProvider} bytes` },
    zeroNetworkInPreview: {
      met: PREVIEW_OPERATIONS.every((operation) => api[operation].requests === 0),
      measured: PREVIEW_OPERATIONS.map((operation) => `${operation} ${api[operation].requests}`).join(", "),
    },
    oneRequestPerOperation: {
      met: SINGLE_CALL_OPERATIONS.every((operation) => api[operation].requests === 1),
      measured: SINGLE_CALL_OPERATIONS.map((operation) => `${operation} ${api[operation].requests}`).join(", "),
    },
    rolloutWithin1_5xOfLowerBound: {
      met: rollout.provider.ratioToLowerBound <= 1.5,
      measured: `${rollout.provider.ratioToLowerBound}x (${rollout.provider.wallMs} ms / ${rollout.lowerBoundMs} ms)`,
    },
  };
}

/**
 * One tenant, one provider server: every OAuthApplication operation with its request count, the modules loaded by
 * then, and a FeatureFlag created through the local shell (the emulator's alation_conf) for its state's size.
 */
async function measureLifecycle(
  project: string,
): Promise<{ requests: RequestsResult; providerBytes: BenchReport["providerBytes"]; restStackModules: ModuleSummary }> {
  const tenant = await startTestTenant();
  try {
    const probed = await startProbedServer(project, emulatorCommandEnv(tenant.url));
    try {
      await probed.server.configure({});
      const requests = await measureRequests(probed.server, tenant);
      const restStackModules = summarizeModules(await probed.loadedModules());
      const flag = await featureFlag();
      const checked = await probed.server.check({}, flag.inputs);
      const created = await probed.server.create(checked.inputs);
      await probed.server.delete(created.id, created.properties);
      return {
        requests,
        restStackModules,
        providerBytes: {
          oauthApplication: providerBytesOf(await oauthApplication(tenant.url), requests.createdState),
          featureFlag: providerBytesOf(flag, created.properties),
        },
      };
    } finally {
      await probed.stop();
    }
  } finally {
    await tenant.stop();
  }
}

function progress(step: string): void {
  process.stderr.write(`bench: ${step}...\n`);
}

main().then(
  (report) => {
    process.stdout.write(JSON.stringify(report, null, 2) + "\n");
    process.stderr.write("\n" + formatReport(report));
    process.exitCode = report.shellOnlyPackagesLoaded ? 1 : 0;
  },
  (error) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
