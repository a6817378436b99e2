// Preloaded into the node processes the Pulumi CLI starts during the engine benchmark (NODE_OPTIONS=--require):
// Pulumi's dynamic-provider server (started as itself, or run in its own process by the CLI build's launcher
// pulumi-resource-pulumi-nodejs), the provider plugin pulumi-resource-alation (all "provider") and the program (the
// SDK's cmd/run). When the process ends (the CLI interrupts its plugins with SIGINT once a command is done; the
// program exits on its own) it writes its role, the CPU time it used in all, how long it lived and its peak resident
// memory to $BENCH_CPU_DIR/<role>-<pid>.json, then ends as it would have. Plain JavaScript: it runs in a bare node.
// Other node processes that inherit the environment are left alone.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const dir = process.env.BENCH_CPU_DIR;
const script = process.argv[1] || "";
const role = /(dynamic-provider[\\/]index\.js|pulumi-resource-alation|pulumi-resource-pulumi-nodejs)$/.test(script)
  ? "provider"
  : /cmd[\\/]run([\\/]index\.js)?$/.test(script)
    ? "program"
    : undefined;
if (dir && role) {
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    const { user, system } = process.cpuUsage();
    const peakMemoryMiB = process.resourceUsage().maxRSS / 1024;
    fs.writeFileSync(
      path.join(dir, `${role}-${process.pid}.json`),
      JSON.stringify({ role, cpuMs: (user + system) / 1000, lifetimeMs: process.uptime() * 1000, peakMemoryMiB }),
    );
  };
  process.once("exit", write);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    // Once: the signal raised again meets no listener and ends the process as its default action does.
    process.once(signal, () => {
      write();
      process.kill(process.pid, signal);
    });
  }
}
