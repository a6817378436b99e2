// npm scripts two at a time (each is one thread; machines of this project have two cores): `npm run check-style`
// (ESLint and Prettier's check, a step of its own in CI). Each command's output is printed whole when it ends, so that
// two never interleave; the script fails if any failed, after all have ended. Plain JavaScript: it runs before any
// build.
// Usage: node scripts/checks.js NPM_SCRIPT... (the longest first).
"use strict";
const { spawn } = require("node:child_process");
const os = require("node:os");

const SCRIPTS = process.argv.slice(2);
const LANES = Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length));

function runScript(script) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn("npm", ["run", "--silent", script], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", (error) => (output += `${error.message}\n`));
    child.on("close", (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      process.stdout.write(`> npm run ${script}: ${code === 0 ? "passed" : `failed (exit ${code})`}, ${seconds} s\n`);
      if (output.trim() !== "") process.stdout.write(output.endsWith("\n") ? output : `${output}\n`);
      resolve(code === 0);
    });
  });
}

async function main() {
  const queue = [...SCRIPTS];
  const failed = [];
  const lane = async () => {
    for (let script = queue.shift(); script !== undefined; script = queue.shift()) {
      if (!(await runScript(script))) failed.push(script);
    }
  };
  await Promise.all(Array.from({ length: LANES }, lane));
  if (failed.length > 0) {
    process.stdout.write(`failed: ${failed.map((script) => `npm run ${script}`).join(", ")}\n`);
    process.exitCode = 1;
  }
}

main();
