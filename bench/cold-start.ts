// Cold start: from spawning Pulumi's dynamic-provider server to its answer to the first Check, as on every preview,
// for an OAuthApplication and for a baseline provider that does nothing (Pulumi's own server), alternately; and the
// provider plugin's (pulumi-resource-alation: spawn to its first Check of an OAuthApplication), which every language
// but TypeScript starts instead.
import { median, ratio, round } from "./stats";
import { summarizeModules, type ModuleSummary } from "./modules";
import { pluginColdStart, type PluginSample } from "./plugin-process";
import { startProbedServer } from "./provider-process";
import { baselineResource, oauthApplication } from "./resources";

/** The median of the samples of one provider. */
export interface ColdStart {
  /** Spawn to the server's printing its port. */
  spawnToListeningMs: number;
  /** Spawn to the first Check answered (Configure, then Check: the first Check loads the provider). */
  spawnToFirstCheckMs: number;
  /** Peak resident memory (VmHWM) after the first Check, MiB. */
  peakMemoryMiB: number;
  /** Modules loaded after the first Check (first sample). */
  modules: ModuleSummary;
}

/** The cold start of the library's provider beside the baseline's. */
export interface ColdStartResult {
  samples: number;
  oauthApplication: ColdStart;
  baseline: ColdStart;
  /** oauthApplication / baseline, spawn to first Check. */
  ratio: number;
  /** What the library adds to the first Check, ms. */
  addedMs: number;
  /** The provider plugin, spawn to its first Check (median). */
  plugin: Omit<ColdStart, "modules">;
  /** plugin / oauthApplication (the dynamic provider), spawn to first Check. */
  pluginToDynamic: number;
}

interface Sample {
  spawnToListeningMs: number;
  spawnToFirstCheckMs: number;
  peakMemoryMiB: number;
  modules?: string[];
}

/** Measures `samples` cold starts of each, alternately; `project` is where pulumi-alation is installed. */
export async function measureColdStart(project: string, samples: number): Promise<ColdStartResult> {
  // Check is offline: the tenant named here is never contacted.
  const application = (await oauthApplication("https://tenant.example.com")).inputs;
  const baseline = (await baselineResource()).inputs;
  const ours: Sample[] = [];
  const theirs: Sample[] = [];
  const plugin: PluginSample[] = [];
  for (let i = 0; i < samples; i++) {
    theirs.push(await sample(project, baseline, i === 0));
    ours.push(await sample(project, application, i === 0));
    plugin.push(await pluginColdStart(project, application));
  }
  const { spawnToListeningMs, spawnToFirstCheckMs, peakMemoryMiB } = summarize(plugin);
  const oauthApplicationStart = summarize(ours);
  const baselineStart = summarize(theirs);
  return {
    samples,
    oauthApplication: oauthApplicationStart,
    baseline: baselineStart,
    ratio: ratio(oauthApplicationStart.spawnToFirstCheckMs, baselineStart.spawnToFirstCheckMs),
    addedMs: round(oauthApplicationStart.spawnToFirstCheckMs - baselineStart.spawnToFirstCheckMs),
    plugin: { spawnToListeningMs, spawnToFirstCheckMs, peakMemoryMiB },
    pluginToDynamic: ratio(spawnToFirstCheckMs, oauthApplicationStart.spawnToFirstCheckMs),
  };
}

async function sample(project: string, inputs: Record<string, unknown>, withModules: boolean): Promise<Sample> {
  const probed = await startProbedServer(project);
  try {
    await probed.server.configure({});
    const checked = await probed.server.check({}, inputs);
    const spawnToFirstCheckMs = performance.now() - probed.spawnedAt;
    if (checked.failures.length > 0) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
    return {
      spawnToListeningMs: probed.spawnToListeningMs,
      spawnToFirstCheckMs,
      peakMemoryMiB: probed.peakMemoryMiB(),
      modules: withModules ? await probed.loadedModules() : undefined,
    };
  } finally {
    await probed.stop();
  }
}

function summarize(samples: Sample[]): ColdStart {
  return {
    spawnToListeningMs: round(median(samples.map((s) => s.spawnToListeningMs))),
    spawnToFirstCheckMs: round(median(samples.map((s) => s.spawnToFirstCheckMs))),
    peakMemoryMiB: round(median(samples.map((s) => s.peakMemoryMiB))),
    modules: summarizeModules(samples[0].modules ?? []),
  };
}
