// `npx ts-node --transpile-only bench/profile.ts [--connectors N]` (after `npm run build`): where the provider
// process's CPU goes. N creates (Check, then Create, 16 at a time, +20 ms per call) through a fresh provider server,
// for ours and for the minimal provider, each sampled by the inspector (profile-preload.js). Prints, per provider,
// the CPU per connector outside module loading and idle time, split by who ran it (pulumi-alation, zod, undici,
// Pulumi's SDK and grpc-js, Node), and keeps the .cpuprofile files (for Chrome's DevTools) in a folder it names.
// A tool for looking, not part of `npm run bench`: the profiler itself slows the process down.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installedPackageProject } from "../tests/support/installed-package";
import { cleanEnvironment, startProviderServer } from "../tests/support/provider-server";
import { inParallel } from "./rollout";
import { connectorInputs, startLatencyTenants } from "./server-run";
import { round } from "./stats";
import { checkAndCreate } from "../tests/support/provider-harness";
import { cpuByOwner, waitForFile, type Profile } from "./cpu-profile";

const PRELOAD = path.join(__dirname, "profile-preload.js");

async function main(): Promise<void> {
  const flag = process.argv.indexOf("--connectors");
  const connectors = flag > 0 ? Number(process.argv[flag + 1]) : 400;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alation-bench-profile-"));
  const project = installedPackageProject();
  const tenants = await startLatencyTenants(5, 20);
  try {
    const inputs = await connectorInputs(tenants);
    for (const kind of ["provider", "minimal"] as const) {
      const file = path.join(dir, `${kind}.cpuprofile`);
      const env = cleanEnvironment({ NODE_OPTIONS: `--require ${JSON.stringify(PRELOAD)}`, BENCH_PROFILE_FILE: file });
      const server = await startProviderServer({ cwd: project, env });
      await server.configure({});
      await inParallel(connectors, 16, async (i) => {
        const byTenant = inputs[kind];
        // Ours under default names, as in the rollout (rollout.ts); the minimal provider is given its name.
        const key = kind === "provider" ? "autoName" : "name";
        await checkAndCreate(server, { ...byTenant[i % byTenant.length], [key]: `profile-${kind}-${i}` });
      });
      await server.kill();
      await waitForFile(file);
      const shares = cpuByOwner(JSON.parse(fs.readFileSync(file, "utf8")) as Profile);
      const perConnector = Object.entries(shares).map(([owner, ms]) => `${owner} ${round(ms / connectors, 3)}`);
      process.stdout.write(`${kind}: CPU ms per connector, outside loading: ${perConnector.join(", ")}\n`);
    }
    process.stdout.write(`profiles: ${dir}\n`);
  } finally {
    await Promise.all(tenants.map((tenant) => tenant.stop()));
  }
}

void main();
