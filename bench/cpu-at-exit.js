// Preloaded into the dynamic-provider processes the Pulumi CLI starts during the engine benchmark
// (NODE_OPTIONS=--require). When the process ends (the CLI interrupts its plugins with SIGINT once a command is done)
// it writes the CPU time it used in all, and its peak resident memory, to $BENCH_CPU_DIR/<pid>.json, then ends as it
// would have. Plain JavaScript: it runs in a bare node. It acts only in Pulumi's dynamic-provider server, not in the
// other node processes that inherit the environment (the program, the plugin launcher).
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const dir = process.env.BENCH_CPU_DIR;
if (dir && /dynamic-provider[\\/]index\.js$/.test(process.argv[1] || "")) {
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    const { user, system } = process.cpuUsage();
    const peakMemoryMiB = process.resourceUsage().maxRSS / 1024;
    fs.writeFileSync(
      path.join(dir, `${process.pid}.json`),
      JSON.stringify({ cpuMs: (user + system) / 1000, peakMemoryMiB }),
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
