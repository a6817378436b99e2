// Against Pulumi's own floor: the steps that measure our provider beside the minimal one at scale and through the
// real engine, and the goals judged on them (the rollout's own comparison is in rollout.ts).
import { ENGINE_PHASES, measureEngine, type EnginePhase, type EngineResult } from "./engine";
import type { FloorGoal, GoalResult } from "./bench-report";
import type { BenchOptions } from "./options";
import type { RolloutResult } from "./rollout";
import { measureScale, type ScaleResult } from "./scale";

/** The scale run, then the engine (unless `--no-engine`, or no Pulumi CLI here). */
export async function measureAgainstFloor(
  project: string,
  options: BenchOptions,
  progress: (step: string) => void,
): Promise<{ scale: ScaleResult; engine: EngineResult }> {
  const { scaleConnectors, scaleTenants, parallel, latencyMs, connectors, tenants, repetitions, skipCheckpoints } =
    options;
  progress(`scale: ${scaleConnectors} connectors over ${scaleTenants} tenants, one provider process each`);
  const scale = await measureScale(project, {
    connectors: scaleConnectors,
    tenants: scaleTenants,
    parallel,
    latencyMs,
  });
  progress(
    `the engine: ${connectors} connectors over ${tenants} tenants through the Pulumi CLI, ${repetitions} time(s)`,
  );
  const engine = options.engine
    ? await measureEngine({
        connectors,
        tenants,
        latencyMs,
        repetitions,
        smallestCase: !options.quick,
        skipCheckpoints,
      })
    : { skipped: "--no-engine" };
  return { scale, engine };
}

const WITHIN = 1.15;
const ADDED_CPU_MS = 0.5;
/** Flat: the last segment's CPU per connector at most this times the one before... */
const FLAT_CPU_RATIO = 1.25;
/** ...and its live heap per connector at most the one before's plus this, KiB (a few hundred bytes is noise). */
const FLAT_HEAP_SLACK_KIB = 1;

/** Each goal, met or not, with the figures that say so. */
export function floorGoals(
  rollout: RolloutResult,
  scale: ScaleResult,
  engine: EngineResult,
): Record<FloorGoal, GoalResult> {
  const { provider, minimal, providerToMinimal } = rollout;
  return {
    rolloutWithin1_15xOfMinimal: {
      met: providerToMinimal.wallTime <= WITHIN,
      measured: `${providerToMinimal.wallTime}x (${provider.wallMs} ms / ${minimal.wallMs} ms)`,
    },
    rolloutCpuWithinMinimalPlus0_5msPerConnector: {
      met: providerToMinimal.cpuMsPerConnectorAdded <= ADDED_CPU_MS,
      measured:
        `+${providerToMinimal.cpuMsPerConnectorAdded} ms per connector ` +
        `(${provider.cpuMsPerConnector} ms / ${minimal.cpuMsPerConnector} ms)`,
    },
    ...engineGoals(engine),
    scaleStaysFlat: scaleGoal(scale),
  };
}

type EngineGoal = Exclude<FloorGoal, `rollout${string}` | "scaleStaysFlat">;

function engineGoals(engine: EngineResult): Record<EngineGoal, GoalResult> {
  if (engine.skipped !== undefined) {
    const skipped = { met: false, measured: `not run: ${engine.skipped}` };
    return {
      engineNoRequestInPreviewOrNoChangeUp: skipped,
      engineOneRequestPerConnector: skipped,
      engineProviderWithin1_15xOfMinimal: skipped,
      engineConnectorWithin1_15xOfMinimal: skipped,
      engineConnectorWithin1_15xOfMinimalComponent: skipped,
    };
  }
  const perConnector = (kind: "provider" | "connector", phases: EnginePhase[]) =>
    phases.map((phase) => `${phase} ${engine[phase][kind].requestsPerConnector}`).join(", ");
  const silent: EnginePhase[] = ["preview", "upNoChange"];
  const single: EnginePhase[] = ["up", "refresh", "destroy"];
  const within = (key: "providerToMinimal" | "connectorToMinimal" | "connectorToMinimalComponent"): GoalResult => ({
    met: ENGINE_PHASES.every((phase) => (engine[phase][key] ?? Infinity) <= WITHIN),
    measured: ENGINE_PHASES.map((phase) => `${phase} ${engine[phase][key]}x`).join(", "),
  });
  return {
    engineNoRequestInPreviewOrNoChangeUp: {
      met: silent.every((phase) => engine[phase].provider.requests === 0 && engine[phase].connector.requests === 0),
      measured: `provider: ${perConnector("provider", silent)}; connector: ${perConnector("connector", silent)}`,
    },
    engineOneRequestPerConnector: {
      met: single.every((phase) => engine[phase].provider.requestsPerConnector === 1),
      measured: `requests per connector: ${perConnector("provider", single)}`,
    },
    engineProviderWithin1_15xOfMinimal: within("providerToMinimal"),
    engineConnectorWithin1_15xOfMinimal: within("connectorToMinimal"),
    engineConnectorWithin1_15xOfMinimalComponent: within("connectorToMinimalComponent"),
  };
}

function scaleGoal(scale: ScaleResult): GoalResult {
  const slopes = scale.provider.slopes;
  const [before, last] = [slopes[slopes.length - 2], slopes[slopes.length - 1]];
  if (!before || !last) return { met: false, measured: "fewer than three checkpoints" };
  return {
    met:
      scale.provider.cpuSlopeRatio <= FLAT_CPU_RATIO &&
      last.liveHeapKiBPerConnector <= before.liveHeapKiBPerConnector + FLAT_HEAP_SLACK_KIB,
    measured:
      `CPU per connector ${before.cpuMsPerConnector} ms (${before.from}..${before.to}), ` +
      `${last.cpuMsPerConnector} ms (${last.from}..${last.to}); live heap per connector ` +
      `${before.liveHeapKiBPerConnector} KiB, ${last.liveHeapKiBPerConnector} KiB`,
  };
}
