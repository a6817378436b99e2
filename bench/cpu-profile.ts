// Reading a V8 .cpuprofile (profile-preload.js writes them): CPU outside idle time and module loading, by owner.
import * as fs from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
/** A V8 CPU profile, as the inspector gives it. */
export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const LOADING = new Set(["Module._load", "compileForInternalLoader", "wrapSafe"]);

/**
 * Each sample's frames (innermost first) and its time in ms, outside idle time and (unless `withLoading`: a program
 * runs inside the require of its main module) module loading.
 */
function busySamples(profile: Profile, withLoading = false): Array<{ frames: ProfileNode["callFrame"][]; ms: number }> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const busy: Array<{ frames: ProfileNode["callFrame"][]; ms: number }> = [];
  profile.samples.forEach((id, index) => {
    const frames: ProfileNode["callFrame"][] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) frames.push(byId.get(at)!.callFrame);
    if (frames[0].functionName === "(idle)") return;
    if (!withLoading && frames.some((frame) => LOADING.has(frame.functionName))) return;
    busy.push({ frames, ms: profile.timeDeltas[index] / 1000 });
  });
  return busy;
}

/** Sampled CPU (ms) outside idle time and module loading, by the innermost owner on each sample's stack. */
export function cpuByOwner(profile: Profile, withLoading = false): Record<string, number> {
  const shares: Record<string, number> = {};
  for (const { frames, ms } of busySamples(profile, withLoading)) {
    const owner = frames.map((frame) => ownerOf(frame.url)).find((found) => found !== undefined) ?? "node";
    shares[owner] = (shares[owner] ?? 0) + ms;
  }
  shares.total = Object.values(shares).reduce((sum, ms) => sum + ms, 0);
  return shares;
}

/**
 * Sampled CPU (ms) by function, counting each sample once for every distinct function on its stack (inclusive time):
 * the `limit` heaviest whose url matches `urls`.
 */
export function inclusiveByFunction(
  profile: Profile,
  urls: RegExp,
  limit: number,
  withLoading = false,
): Array<[string, number]> {
  const totals = new Map<string, number>();
  for (const { frames, ms } of busySamples(profile, withLoading)) {
    const seen = new Set<string>();
    for (const frame of frames) {
      if (!urls.test(frame.url)) continue;
      const where = `${frame.url.replace(/^.*node_modules\//, "")}:${frame.lineNumber + 1}`;
      const key = `${frame.functionName || "(anonymous)"} ${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      totals.set(key, (totals.get(key) ?? 0) + ms);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, limit);
}

function ownerOf(url: string): string | undefined {
  if (url.includes("/pulumi-alation/dist/")) return "pulumi-alation";
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (!match) return undefined;
  return match[1] === "@grpc/grpc-js" || match[1] === "@pulumi/pulumi" ? "pulumi sdk" : match[1];
}

/** Waits (10 s at most) for a file a process writes as it ends. */
export async function waitForFile(file: string): Promise<void> {
  for (let waited = 0; !fs.existsSync(file) && waited < 10_000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
