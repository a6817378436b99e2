// Preloaded into Pulumi's dynamic-provider server by the benchmark (NODE_OPTIONS=--require). Plain JavaScript:
// it runs in a bare node, without ts-node. At start it writes {pid} to $BENCH_PROBE_FILE; on SIGUSR2 it rewrites
// the file with the modules loaded so far (the keys of require.cache, this file left out) and the heap in use after
// a full garbage collection (what the process keeps alive), numbered so the reader knows it is new.
// It acts only in the dynamic-provider server, not in other node processes that inherit the environment.
"use strict";
const fs = require("node:fs");

const file = process.env.BENCH_PROBE_FILE;
const isProviderServer = /dynamic-provider[\\/]index\.js$/.test(process.argv[1] || "");
if (file && isProviderServer) {
  // A gc() of this process's own, for the snapshots only (exposing it changes nothing else).
  require("node:v8").setFlagsFromString("--expose-gc");
  const gc = require("node:vm").runInNewContext("gc");
  let snapshot = 0;
  const write = (modules, heapUsedBytes) => {
    // Written aside, then renamed: the reader never sees half a file.
    fs.writeFileSync(`${file}.tmp`, JSON.stringify({ pid: process.pid, snapshot, modules, heapUsedBytes }));
    fs.renameSync(`${file}.tmp`, file);
  };
  write([], 0);
  process.on("SIGUSR2", () => {
    snapshot++;
    gc();
    write(
      Object.keys(require.cache).filter((loaded) => loaded !== module.filename),
      process.memoryUsage().heapUsed,
    );
  });
}
