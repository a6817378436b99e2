// Pulumi's dynamic-provider server (tests/support/provider-server.ts) with a probe preloaded: its process id (for
// /proc/<pid>/status) and, on demand, the list of modules it has loaded.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cleanEnvironment, startProviderServer, type ProviderServer } from "../tests/support/provider-server";

const PRELOAD = path.join(__dirname, "probe-preload.js");

/** A provider server the benchmark can look into. */
export interface ProbedServer {
  server: ProviderServer;
  /** The server's process id. */
  pid: number;
  /** When the server was spawned (performance.now()). */
  spawnedAt: number;
  /** Milliseconds from spawning the server to its printing the port it listens on. */
  spawnToListeningMs: number;
  /** The files of every module the server has loaded so far (absolute paths). */
  loadedModules(): Promise<string[]>;
  /** The server's heap in use after a full garbage collection, MiB (the collection costs the server some CPU). */
  liveHeapMiB(): Promise<number>;
  /** The process's peak resident memory so far (VmHWM), in MiB. */
  peakMemoryMiB(): number;
  /** CPU time (user + system) the process has used so far, all threads, ms (10 ms resolution on most kernels). */
  cpuMs(): number;
  /** The same for the main thread alone, where JavaScript runs (the rest: V8's compiler and GC threads, libuv). */
  mainThreadCpuMs(): number;
  /** Stops the server and removes the probe's file. */
  stop(): Promise<void>;
}

interface ProbeFile {
  pid: number;
  snapshot: number;
  modules: string[];
  heapUsedBytes: number;
}

/**
 * Starts the server in `cwd` (a project where `pulumi-alation` is installed) with `env` added to a clean
 * environment. NODE_OPTIONS is replaced by the probe alone, so the server loads nothing else ahead of its own code.
 */
export async function startProbedServer(cwd: string, env: Record<string, string> = {}): Promise<ProbedServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alation-bench-probe-"));
  const probeFile = path.join(dir, "probe.json");
  const spawnedAt = performance.now();
  let server: ProviderServer;
  try {
    server = await startProviderServer({
      cwd,
      env: cleanEnvironment({
        ...env,
        NODE_OPTIONS: `--require ${JSON.stringify(PRELOAD)}`,
        BENCH_PROBE_FILE: probeFile,
      }),
    });
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const spawnToListeningMs = performance.now() - spawnedAt;
  const read = (): ProbeFile => JSON.parse(fs.readFileSync(probeFile, "utf8"));
  const { pid } = read();
  const snapshot = async (): Promise<ProbeFile> => {
    const before = read().snapshot;
    process.kill(pid, "SIGUSR2");
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const probe = read();
      if (probe.snapshot > before) return probe;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("the provider server's probe wrote no snapshot within 5 s");
  };
  return {
    server,
    pid,
    spawnedAt,
    spawnToListeningMs,
    loadedModules: async () => (await snapshot()).modules,
    liveHeapMiB: async () => (await snapshot()).heapUsedBytes / 2 ** 20,
    peakMemoryMiB: () => peakMemoryMiB(pid),
    cpuMs: () => cpuMs(`/proc/${pid}/stat`),
    mainThreadCpuMs: () => cpuMs(`/proc/${pid}/task/${pid}/stat`),
    async stop() {
      await server.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** VmHWM of a live process, MiB (Linux). */
function peakMemoryMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

let clockTicksPerSecond: number | undefined;

/** utime + stime of a live process or thread, ms (Linux: fields 14 and 15 of its `stat` file, in clock ticks). */
function cpuMs(statFile: string): number {
  clockTicksPerSecond ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const stat = fs.readFileSync(statFile, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / clockTicksPerSecond;
}
