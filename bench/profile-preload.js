// Preloaded into Pulumi's dynamic-provider server by bench/profile.ts (NODE_OPTIONS=--require; `--cpu-prof` is not
// allowed in NODE_OPTIONS): samples the process's CPU with the inspector from its start, and on SIGTERM (how the
// benchmark stops a server) writes the profile to $BENCH_PROFILE_FILE, then exits. Plain JavaScript: a bare node.
"use strict";
const file = process.env.BENCH_PROFILE_FILE;
if (file && /dynamic-provider[\\/]index\.js$/.test(process.argv[1] || "")) {
  const session = new (require("node:inspector").Session)();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 250 });
  session.post("Profiler.start");
  process.once("SIGTERM", () => {
    session.post("Profiler.stop", (error, result) => {
      if (!error) require("node:fs").writeFileSync(file, JSON.stringify(result.profile));
      process.exit(error ? 1 : 0);
    });
  });
}
