// The README's quick start, `npm run preview` and `npm start`, in a copy of this checkout (its own .alation-data/,
// .pulumi-state/ and stack file) with the CLI that `npm run pulumi-cli` finds: the connector comes up through the
// real CLI and verifies; a second `npm start` changes nothing in the tenant; the port is configurable, and a taken
// one says how to pick another.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { freePort } from "../support/ports";
import { describeEngine, repoRoot, run, temporaryFolder, type CommandResult } from "./harness";
import { docsQuote } from "../support/docs";

/** A copy of the checkout's files (tracked and new, as they are now) and its build, sharing its installed packages. */
function copyOfCheckout(): string {
  const copy = temporaryFolder("quickstart-checkout-");
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  for (const file of files.split("\0").filter(Boolean)) {
    // node_modules is linked below; in a git worktree it may be an untracked symlink, listed among the files.
    if (file === "node_modules" || !fs.existsSync(path.join(repoRoot, file))) continue;
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, file), path.join(copy, file));
  }
  // And its build, as a developer's checkout has it after `npm test`: the copy's `npm start` and `npm run preview`
  // build again, incrementally (tsconfig.build.json), as they would there.
  fs.cpSync(path.join(repoRoot, "dist"), path.join(copy, "dist"), { recursive: true });
  // Each installed package linked, not the folder: `npm start` links the copy itself in as pulumi-alation.
  fs.mkdirSync(path.join(copy, "node_modules"));
  for (const entry of fs.readdirSync(path.join(repoRoot, "node_modules"))) {
    if (entry === "pulumi-alation") continue;
    fs.symlinkSync(path.join(repoRoot, "node_modules", entry), path.join(copy, "node_modules", entry));
  }
  return copy;
}

describeEngine("the quick start (npm run preview, npm start)", function () {
  let checkout: string;
  let port: number;
  let env: NodeJS.ProcessEnv;
  const npm = (args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CommandResult> =>
    run("npm", ["--silent", ...args], { cwd: checkout, env: { ...env, ...extra } });
  const tenantState = () => {
    const { clients, conf } = JSON.parse(fs.readFileSync(path.join(checkout, ".alation-data", "tenant.json"), "utf8"));
    return { clients: Object.values(clients) as Array<{ client_id: string }>, conf };
  };

  before(async function () {
    checkout = copyOfCheckout();
    port = await freePort();
    env = {
      ...process.env,
      ALATION_EMULATOR_PORT: String(port),
      PULUMI_HOME: temporaryFolder("quickstart-pulumi-home-"),
    };
    for (const key of Object.keys(env))
      if (/^(ALATION_(?!EMULATOR_PORT)|TS_NODE_|PULUMI_(?!HOME))/.test(key)) delete env[key];
  });

  it("a taken port says how to pick another", async function () {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      const { code, stderr } = await run(
        process.execPath,
        [
          path.join(checkout, "node_modules", "ts-node", "dist", "bin.js"),
          "--transpile-only",
          "examples/quickstart/run.ts",
        ],
        { cwd: checkout, env },
      );
      assert.equal(code, 1);
      assert.match(
        stderr,
        new RegExp(
          `^quickstart: port ${port} is taken \\(another \`npm start\` or emulator, or another program, listens on ` +
            "it\\): stop that program, or pick another port: ALATION_EMULATOR_PORT=\\d+ npm start$",
          "m",
        ),
      );
      // The README quotes it for the default port, with a placeholder for the free port it suggests.
      const quoted = stderr
        .trim()
        .replace(`port ${port} is`, "port 8765 is")
        .replace(/ALATION_EMULATOR_PORT=\d+/, "ALATION_EMULATOR_PORT=<a free port>");
      assert.ok(docsQuote(quoted), quoted);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("npm run preview shows the plan and changes nothing", async function () {
    const { code, stdout, stderr } = await npm(["run", "preview"]);
    assert.equal(code, 0, stdout + stderr);
    assert.match(stdout, /\+ 4 to create/);
    assert.deepEqual(tenantState().clients, []);
  });

  it("npm start brings the connector up through the real CLI, prints its fields and verifies it", async function () {
    const { code, stdout, stderr } = await npm(["start"]);
    assert.equal(code, 0, stdout + stderr);
    assert.match(stdout, /^quickstart: Pulumi CLI v\d+\.\d+\.\d+ in \S+ \((on PATH|built from Go modules)\)$/m);
    assert.match(stdout, /\+ 4 created/);
    const clientId = /^ +Client ID: +(\S+)$/m.exec(stdout)?.[1];
    assert.match(stdout, /=> OK/);
    assert.match(stdout, /^quickstart: the local tenant answers \/ai\/mcp directly \(whether Alation does is unknown/m);
    // The walk through Claude's wizard, last: the README quotes it with placeholders (and verify's secret hint).
    const walk = stdout.slice(stdout.indexOf("Claude: Customize > Connectors")).trimEnd();
    assert.match(walk, new RegExp(`^ {2}step 1 {2}URL: +http://127\\.0\\.0\\.1:${port}/ai/mcp/$`, "m"));
    assert.match(walk, /^ +Client secret: +\[secret\] \(npm start -- --show-secret\)$/m);
    const quoted = walk
      .replace(`http://127.0.0.1:${port}`, "https://TENANT")
      .replace(clientId ?? "no client id", "<clientId>")
      .replace("[secret] (npm start -- --show-secret)", "clientSecret of `pulumi stack output --json --show-secrets`");
    assert.ok(docsQuote(quoted), quoted);
    assert.ok(docsQuote("`[secret] (npm start -- --show-secret)`"));
    assert.deepEqual(
      tenantState().clients.map((client) => client.client_id),
      [clientId],
    );
    assert.equal(tenantState().conf["alation.feature_flags.enable_jwt_in_v1_oauth_stack"], "True");
  });

  it("a second npm start changes nothing: no resource change; applications and flag as they were", async function () {
    const before = tenantState();
    const { code, stdout, stderr } = await npm(["start"]);
    assert.equal(code, 0, stdout + stderr);
    assert.match(stdout, /4 unchanged/);
    assert.doesNotMatch(stdout, /created|updated|deleted|replaced/);
    assert.deepEqual(tenantState(), before);
  });

  it("ALATION_EMULATOR_PORT other than the port of the stack's tenant is refused with the way out", async function () {
    const other = await freePort();
    const { code, stderr } = await run(
      process.execPath,
      [
        path.join(checkout, "node_modules", "ts-node", "dist", "bin.js"),
        "--transpile-only",
        "examples/quickstart/run.ts",
      ],
      {
        cwd: checkout,
        env: { ...env, ALATION_EMULATOR_PORT: String(other) },
      },
    );
    assert.equal(code, 1);
    assert.match(
      stderr,
      new RegExp(`ALATION_EMULATOR_PORT=${other}, but the stack quickstart was brought up on port ${port}`),
    );
    assert.match(stderr, /start afresh on port \d+: rm -rf \.pulumi-state \.alation-data Pulumi\.quickstart\.yaml/);
  });
});
