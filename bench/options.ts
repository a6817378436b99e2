// The benchmark's command line: `--quick` for the small run `npm test` makes, flags to change the rollout's size.

/** What the benchmark runs. */
export interface BenchOptions {
  /** The small run (fewer connectors, tenants and cold-start samples). */
  quick: boolean;
  /** Connectors rolled out (one OAuth application each). */
  connectors: number;
  /** Emulated tenants the connectors are spread over. */
  tenants: number;
  /** Operations in flight at once, as the engine's `--parallel`. */
  parallel: number;
  /** Latency injected by every tenant into every admin API call, ms. */
  latencyMs: number;
  /** Times the rollout and its baseline are run (the median is reported). */
  repetitions: number;
  /** Cold starts measured (each for the provider and for its baseline); the median is reported. */
  coldStartSamples: number;
  /** Connectors of the scale run (one provider process), and the tenants they are spread over. */
  scaleConnectors: number;
  scaleTenants: number;
  /** Run the engine benchmark through the Pulumi CLI (`--no-engine` skips it). */
  engine: boolean;
  /**
   * `--skip-checkpoints`: the engine's commands run with PULUMI_SKIP_CHECKPOINTS=true, so that the file backend writes
   * the state once at the end instead of whole after every step: to tell the backend's share of a phase apart.
   */
  skipCheckpoints: boolean;
}

const FULL = {
  connectors: 200,
  tenants: 10,
  coldStartSamples: 5,
  repetitions: 3,
  scaleConnectors: 1000,
  scaleTenants: 50,
};
const QUICK = { connectors: 20, tenants: 3, coldStartSamples: 1, repetitions: 1, scaleConnectors: 30, scaleTenants: 3 };
/**
 * Pulumi's engine runs resource operations concurrently; recent CLIs leave `--parallel` unbounded by default, which
 * in practice is limited by the engine's own scheduling. 16 is a conservative, reproducible stand-in.
 */
const DEFAULT_PARALLEL = 16;
const DEFAULT_LATENCY_MS = 20;

const USAGE =
  "usage: bench [--quick] [--connectors N] [--tenants N] [--parallel N] [--latency-ms N] [--samples N] " +
  "[--repetitions N] [--scale-connectors N] [--scale-tenants N] [--no-engine] [--skip-checkpoints]";

/** Parses argv (without node and the script); throws with the usage on anything unknown. */
export function parseOptions(argv: string[]): BenchOptions {
  const quick = argv.includes("--quick");
  const base = quick ? QUICK : FULL;
  const engine = !argv.includes("--no-engine");
  const skipCheckpoints = argv.includes("--skip-checkpoints");
  const options: BenchOptions = {
    quick,
    ...base,
    parallel: DEFAULT_PARALLEL,
    latencyMs: DEFAULT_LATENCY_MS,
    engine,
    skipCheckpoints,
  };
  const flags = new Set(["--quick", "--no-engine", "--skip-checkpoints"]);
  const numeric: Record<string, keyof BenchOptions> = {
    "--connectors": "connectors",
    "--tenants": "tenants",
    "--parallel": "parallel",
    "--latency-ms": "latencyMs",
    "--samples": "coldStartSamples",
    "--repetitions": "repetitions",
    "--scale-connectors": "scaleConnectors",
    "--scale-tenants": "scaleTenants",
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flags.has(flag)) continue;
    const key = numeric[flag];
    const value = Number(argv[i + 1]);
    if (!key || !Number.isInteger(value) || value < (key === "latencyMs" ? 0 : 1)) {
      throw new Error(`bad argument ${JSON.stringify(flag)}\n${USAGE}`);
    }
    (options[key] as number) = value;
    i++;
  }
  return options;
}
