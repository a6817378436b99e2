// `npx ts-node --transpile-only bench/program-profile.ts [--connectors N] [--phase preview|up]` (after
// `npm run build`): where the program process's CPU goes. For the component (AlationClaudeConnector) and the minimal
// component (engine-programs.ts), one `pulumi preview` (or up) of N connectors through the real CLI, the program
// sampled by the inspector (profile-preload.js). Prints, per kind, the program's CPU per connector outside module
// loading and idle time, by owner (pulumi-alation, Pulumi's SDK and grpc-js, Node), the heaviest functions of
// ours and of the SDK (inclusive), and keeps the .cpuprofile files in a folder it names.
// A tool for looking, not part of `npm run bench`: the profiler itself slows the process down.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ADMIN_TOKEN } from "../tests/support/test-tenant";
import { cpuByOwner, inclusiveByFunction, waitForFile, type Profile } from "./cpu-profile";
import { programProject } from "./engine-programs";
import { startLatencyTenants } from "./server-run";
import { round } from "./stats";

const PRELOAD = path.join(__dirname, "profile-preload.js");

async function main(): Promise<void> {
  const argument = (flag: string) => (process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1] : "");
  const connectors = Number(argument("--connectors") || 100);
  const phase = argument("--phase") || "preview";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alation-bench-program-profile-"));
  const tenants = await startLatencyTenants(2, 20);
  try {
    const settings = { tenants: tenants.map((tenant) => tenant.url), connectors, token: ADMIN_TOKEN };
    for (const kind of ["connector", "minimal-component"] as const) {
      const file = path.join(dir, `${kind}.cpuprofile`);
      const env = { NODE_OPTIONS: `--require ${JSON.stringify(PRELOAD)}`, BENCH_PROGRAM_PROFILE_FILE: file };
      const stack = await programProject(kind, settings).stack({}, { env });
      await stack.pulumi(phase === "up" ? ["up", "--yes", "--skip-preview"] : ["preview"]);
      await waitForFile(file);
      const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
      const shares = Object.entries(cpuByOwner(profile, true)).map(
        ([owner, ms]) => `${owner} ${round(ms / connectors, 3)}`,
      );
      process.stdout.write(
        `${kind}: program CPU ms per connector, module loading included (a program runs in its require): ` +
          `${shares.join(", ")}\n`,
      );
      for (const [name, ms] of inclusiveByFunction(profile, /pulumi-alation\/dist|@pulumi\/pulumi/, 25, true)) {
        process.stdout.write(`  ${round(ms / connectors, 3)} ms  ${name}\n`);
      }
      if (phase === "up") await stack.pulumi(["destroy", "--yes", "--skip-preview"]);
    }
    process.stdout.write(`profiles: ${dir}\n`);
  } finally {
    await Promise.all(tenants.map((tenant) => tenant.stop()));
  }
}

void main();
