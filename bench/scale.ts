// Scale: one provider process rolls out many connectors over many tenants (Check, then Create, `parallel` at a time,
// +latency per call), in batches that end at checkpoints (10%, 30% and 100% of the connectors). At each checkpoint,
// with nothing in flight: the process's CPU time since its warm-up, its resident memory, and its heap after a full
// garbage collection (what it keeps alive). The slope between checkpoints says whether a connector costs the same
// at the thousandth as at the hundredth. Ours and the minimal provider, in the same run.
import * as fs from "node:fs";
import { startProbedServer, type ProbedServer } from "./provider-process";
import type { Props } from "./resources";
import { inParallel } from "./rollout";
import { connectorInputs, startLatencyTenants } from "./server-run";
import { ratio, round } from "./stats";
import { checkAndCreate } from "../tests/support/provider-harness";

/** The scale run's size. */
export interface ScaleOptions {
  connectors: number;
  tenants: number;
  parallel: number;
  latencyMs: number;
}

/** The process at one checkpoint. */
export interface Checkpoint {
  /** Connectors created so far. */
  connectors: number;
  /** CPU time since the warm-up (the probes' garbage collections left out), ms. */
  cpuMs: number;
  /** cpuMs / connectors. */
  cpuMsPerConnector: number;
  /** Resident memory (VmRSS), MiB. */
  residentMiB: number;
  /** Heap in use after a full garbage collection, MiB. */
  liveHeapMiB: number;
  /** (liveHeapMiB - its value after the warm-up) / connectors, KiB. */
  liveHeapKiBPerConnector: number;
}

/** From one checkpoint to the next: what each connector of the segment cost. */
export interface Slope {
  from: number;
  to: number;
  cpuMsPerConnector: number;
  liveHeapKiBPerConnector: number;
  residentKiBPerConnector: number;
}

/** One provider's checkpoints and slopes. */
export interface ScaleRun {
  checkpoints: Checkpoint[];
  slopes: Slope[];
  /** The last segment's CPU per connector / the one before: about 1 when flat. */
  cpuSlopeRatio: number;
  /** The provider process's peak resident memory (VmHWM), MiB. */
  peakMemoryMiB: number;
}

export interface ScaleResult extends ScaleOptions {
  provider: ScaleRun;
  minimal: ScaleRun;
}

const CHECKPOINT_SHARES = [0.1, 0.3, 1];

/** Runs the scale benchmark; `project` is where pulumi-alation is installed. */
export async function measureScale(project: string, options: ScaleOptions): Promise<ScaleResult> {
  const tenants = await startLatencyTenants(options.tenants, options.latencyMs);
  try {
    const inputs = await connectorInputs(tenants);
    const checkpoints = [
      ...new Set(CHECKPOINT_SHARES.map((share) => Math.max(1, Math.round(share * options.connectors)))),
    ];
    return {
      ...options,
      provider: await scaleRun(project, inputs.provider, "scale-claude", checkpoints, options.parallel),
      minimal: await scaleRun(project, inputs.minimal, "scale-minimal", checkpoints, options.parallel),
    };
  } finally {
    await Promise.all(tenants.map((tenant) => tenant.stop()));
  }
}

async function scaleRun(
  project: string,
  inputsByTenant: Props[],
  prefix: string,
  checkpoints: number[],
  parallel: number,
): Promise<ScaleRun> {
  const probed = await startProbedServer(project);
  try {
    await probed.server.configure({});
    await probed.server.check({}, { ...inputsByTenant[0], name: `${prefix}-warm-up` });
    const readings = [{ ...(await reading(probed, 0)), connectors: 0 }];
    let done = 0;
    for (const target of checkpoints) {
      await inParallel(target - done, parallel, async (offset) => {
        const i = done + offset;
        await checkAndCreate(probed.server, { ...inputsByTenant[i % inputsByTenant.length], name: `${prefix}-${i}` });
      });
      done = target;
      readings.push({ ...(await reading(probed, readings[readings.length - 1].excludedCpuMs)), connectors: target });
    }
    return summarize(readings, probed.peakMemoryMiB());
  } finally {
    await probed.stop();
  }
}

interface Reading {
  cpuMs: number;
  residentMiB: number;
  liveHeapMiB: number;
  /** CPU spent by the probes' garbage collections so far (left out of cpuMs). */
  excludedCpuMs: number;
}

/** The process now; the garbage collection the heap reading needs is left out of the CPU time. */
async function reading(probed: ProbedServer, excludedCpuMs: number): Promise<Reading> {
  const cpuMs = probed.cpuMs() - excludedCpuMs;
  const residentMiB = residentMemoryMiB(probed.pid);
  const liveHeapMiB = await probed.liveHeapMiB();
  return { cpuMs, residentMiB, liveHeapMiB, excludedCpuMs: probed.cpuMs() - cpuMs };
}

/** The checkpoints (relative to the reading after the warm-up) and the slopes between them. */
function summarize(readings: Array<Reading & { connectors: number }>, peakMemoryMiB: number): ScaleRun {
  const [start, ...rest] = readings;
  const checkpoints = rest.map((at) => ({
    connectors: at.connectors,
    cpuMs: round(at.cpuMs - start.cpuMs),
    cpuMsPerConnector: round((at.cpuMs - start.cpuMs) / at.connectors, 2),
    residentMiB: round(at.residentMiB),
    liveHeapMiB: round(at.liveHeapMiB, 2),
    liveHeapKiBPerConnector: round(((at.liveHeapMiB - start.liveHeapMiB) * 1024) / at.connectors, 2),
  }));
  const slopes = rest.slice(1).map((at, index) => {
    const before = rest[index];
    const added = at.connectors - before.connectors;
    return {
      from: before.connectors,
      to: at.connectors,
      cpuMsPerConnector: round((at.cpuMs - before.cpuMs) / added, 2),
      liveHeapKiBPerConnector: round(((at.liveHeapMiB - before.liveHeapMiB) * 1024) / added, 2),
      residentKiBPerConnector: round(((at.residentMiB - before.residentMiB) * 1024) / added, 2),
    };
  });
  const [last, beforeLast] = [slopes[slopes.length - 1], slopes[slopes.length - 2]];
  const cpuSlopeRatio = last && beforeLast ? ratio(last.cpuMsPerConnector, beforeLast.cpuMsPerConnector) : 1;
  return { checkpoints, slopes, cpuSlopeRatio, peakMemoryMiB: round(peakMemoryMiB) };
}

/** VmRSS of a live process, MiB (Linux). */
function residentMemoryMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}
