// Preloaded into Pulumi's dynamic-provider server by the benchmark (NODE_OPTIONS=--require). Plain JavaScript:
// it runs in a bare node, without ts-node. At start it writes {pid} to $BENCH_PROBE_FILE; on SIGUSR2 it rewrites
// the file with the modules loaded so far (the keys of require.cache, this file left out), numbered so the reader
// knows it is new.
// It acts only in the dynamic-provider server, not in other node processes that inherit the environment.
"use strict";
const fs = require("node:fs");

const file = process.env.BENCH_PROBE_FILE;
const isProviderServer = /dynamic-provider[\\/]index\.js$/.test(process.argv[1] || "");
if (file && isProviderServer) {
  let snapshot = 0;
  const write = (modules) => {
    // Written aside, then renamed: the reader never sees half a file.
    fs.writeFileSync(`${file}.tmp`, JSON.stringify({ pid: process.pid, snapshot, modules }));
    fs.renameSync(`${file}.tmp`, file);
  };
  write([]);
  process.on("SIGUSR2", () => {
    snapshot++;
    write(Object.keys(require.cache).filter((loaded) => loaded !== module.filename));
  });
}
