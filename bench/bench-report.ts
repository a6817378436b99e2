// The benchmark's JSON document (what `npm run bench` prints) and its goals: types only, shared by the steps that
// measure (index.ts, floor.ts) and the report that reads it (report*.ts), so that imports point one way.
import type { ColdStartResult } from "./cold-start";
import type { EngineResult } from "./engine";
import type { ModuleSummary } from "./modules";
import type { BenchOptions } from "./options";
import type { ProviderBytes } from "./provider-bytes";
import type { RequestsResult } from "./requests";
import type { RolloutResult } from "./rollout";
import type { ScaleResult } from "./scale";

/** Whether a goal is met, and the figure that says so. */
export interface GoalResult {
  met: boolean;
  measured: string;
}

/** The benchmark's JSON document. */
export interface BenchReport {
  machine: {
    nproc: number;
    cpuModel: string;
    node: string;
    platform: string;
    date: string;
    /** The 1-minute load average when the benchmark started: other work on the machine skews the times. */
    loadAverageAtStart: number;
  };
  options: BenchOptions;
  durationSeconds: number;
  providerBytes: { oauthApplication: ProviderBytes; featureFlag: ProviderBytes };
  coldStart: ColdStartResult;
  /** Modules the provider process had loaded after a whole REST lifecycle (before any shell resource). */
  restStackModules: ModuleSummary;
  /** True when a REST-only stack loaded the Kubernetes client, ssh2 or @pulumi/kubernetes: the one failure. */
  shellOnlyPackagesLoaded: boolean;
  requests: Omit<RequestsResult, "createdState">;
  rollout: RolloutResult & { peakMemoryToBaseline: number };
  /** One provider process at scale: CPU and memory per connector at checkpoints, ours and the minimal provider's. */
  scale: ScaleResult;
  /** Through the Pulumi CLI, phase by phase: ours (alone and in the component) and the minimal provider. */
  engine: EngineResult;
  goals: Record<
    | "providerBytesUnder1KiB"
    | "zeroNetworkInPreview"
    | "oneRequestPerOperation"
    | "rolloutWithin1_5xOfLowerBound"
    | FloorGoal,
    GoalResult
  >;
}

/** The goals of this comparison. */
export type FloorGoal =
  | "rolloutWithin1_15xOfMinimal"
  | "rolloutCpuWithinMinimalPlus0_5msPerConnector"
  | "engineNoRequestInPreviewOrNoChangeUp"
  | "engineOneRequestPerConnector"
  | "engineProviderWithin1_15xOfMinimal"
  | "engineConnectorWithin1_15xOfMinimal"
  | "engineConnectorWithin1_15xOfMinimalComponent"
  | "scaleStaysFlat";
