// Preloaded into Pulumi's dynamic-provider server by bench/profile.ts, or into a program's process (the SDK's
// cmd/run) by bench/program-profile.ts (NODE_OPTIONS=--require; `--cpu-prof` is not allowed in NODE_OPTIONS):
// samples the process's CPU with the inspector from its start. A provider server writes the profile to
// $BENCH_PROFILE_FILE on SIGTERM (how the benchmark stops a server), then exits; a program writes it to
// $BENCH_PROGRAM_PROFILE_FILE when it exits (the inspector's session answers synchronously). Plain JavaScript.
"use strict";
const script = process.argv[1] || "";
const providerFile = /dynamic-provider[\\/]index\.js$/.test(script) && process.env.BENCH_PROFILE_FILE;
const programFile = /cmd[\\/]run([\\/]index\.js)?$/.test(script) && process.env.BENCH_PROGRAM_PROFILE_FILE;
if (providerFile || programFile) {
  const session = new (require("node:inspector").Session)();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 250 });
  session.post("Profiler.start");
  const stop = (done) =>
    session.post("Profiler.stop", (error, result) => {
      if (!error) require("node:fs").writeFileSync(providerFile || programFile, JSON.stringify(result.profile));
      done(error);
    });
  if (providerFile) process.once("SIGTERM", () => stop((error) => process.exit(error ? 1 : 0)));
  else process.once("exit", () => stop(() => undefined));
}
