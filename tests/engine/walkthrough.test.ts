// The README's "Using it in your stack", steps 1 to 3, run as written: its shell blocks in one bash script (the
// emulator's "second terminal" in the background of the same one), its Pulumi.yaml, tsconfig.json and index.ts
// written from their blocks, in a fresh folder with a PULUMI_HOME of its own. Three lines stand in for what needs
// the network or minutes here, each named below and checked to be in the README as written: the clone is this
// checkout (built by pretest), the CLI is the one `npm run pulumi-cli` finds, and `npm install` of the tarball is an
// offline install of the same tarball (its files unpacked, @pulumi/pulumi copied, the other packages linked; no
// typescript, as in a new project). Then the README's claims about the result: verify passes, the CLI type-checks
// the program without the project's typescript, and Pulumi's debug logs hold the token and the client secret.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { docSection } from "../support/docs";
import { freePort } from "../support/ports";
import { describeEngine, engineCli, repoRoot, temporaryFolder } from "./harness";

const TESTED = "## Using it in your stack";
const NOT_TESTED = "### 4. Against your tenant"; // needs a real tenant
const SECOND_TERMINAL = "npx alation-emulator ";
const README_PORT = "8765";
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
const TARBALL = `pulumi-alation-${manifest.version}.tgz`;

/** The README's lines that the test replaces, and by what (`$WALKTHROUGH_*` are set by the test). */
const STAND_INS: Array<[readme: RegExp, instead: string]> = [
  [/^git clone <this repository> pulumi-alation$/, "mkdir pulumi-alation"],
  [
    /^\(cd pulumi-alation && npm ci && npm run build && npm pack\)/,
    'npm pack "$WALKTHROUGH_REPO" --ignore-scripts --silent --pack-destination pulumi-alation',
  ],
  [
    /^export PATH="\$\(cd pulumi-alation && npm run --silent pulumi-cli\):\$PATH"/,
    'export PATH="$WALKTHROUGH_CLI:$PATH"',
  ],
  [
    new RegExp(`^npm install \\.\\./pulumi-alation/${TARBALL} @pulumi/pulumi$`),
    `node "$WALKTHROUGH_INSTALL" ../pulumi-alation/${TARBALL}`,
  ],
];

// `npm install TARBALL @pulumi/pulumi`, offline: the tarball's files, a copy of @pulumi/pulumi (so that `typescript`
// cannot be found from it, as in a new project), every other package of the checkout linked, and the package's bins.
const OFFLINE_INSTALL = `const fs = require("node:fs"), path = require("node:path");
const { execFileSync } = require("node:child_process");
const [tarball, repoModules] = [process.argv[2], process.env.WALKTHROUGH_REPO + "/node_modules"];
const skip = new Set([".bin", ".package-lock.json", "typescript", "ts-node", "pulumi-alation", "@pulumi/pulumi"]);
fs.mkdirSync("node_modules/.bin", { recursive: true });
execFileSync("tar", ["-xzf", tarball, "-C", "node_modules"]);
fs.renameSync("node_modules/package", "node_modules/pulumi-alation");
fs.cpSync(path.join(repoModules, "@pulumi/pulumi"), "node_modules/@pulumi/pulumi", { recursive: true });
for (const entry of fs.readdirSync(repoModules)) {
  const scoped = entry.startsWith("@");
  const names = scoped ? fs.readdirSync(path.join(repoModules, entry)).map((n) => entry + "/" + n) : [entry];
  for (const name of names.filter((n) => !skip.has(n))) {
    fs.mkdirSync(path.dirname(path.join("node_modules", name)), { recursive: true });
    fs.symlinkSync(path.join(repoModules, name), path.join("node_modules", name));
  }
}
const { bin } = JSON.parse(fs.readFileSync("node_modules/pulumi-alation/package.json", "utf8"));
for (const [name, file] of Object.entries(bin)) {
  fs.symlinkSync("../pulumi-alation/" + file, "node_modules/.bin/" + name);
  fs.chmodSync(path.join("node_modules/pulumi-alation", file), 0o755);
}
`;

interface Block {
  lang: string;
  text: string;
}

/** The code blocks of the README's steps 1 to 3. */
function walkthroughBlocks(): Block[] {
  const section = docSection("README.md", TESTED);
  assert.ok(section.includes(`\n${NOT_TESTED}\n`), `the README's walkthrough has ${NOT_TESTED}`);
  const tested = section.split(`\n${NOT_TESTED}\n`)[0];
  return [...tested.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => ({ lang: match[1], text: match[2] }));
}

/** The bash script of the walkthrough, with the stand-ins, the files and the emulator in the background. */
function walkthroughScript(blocks: Block[], port: number): string {
  const used = new Set<RegExp>();
  const shell = (text: string) =>
    text
      .split("\n")
      .map((line) => {
        const standIn = STAND_INS.find(([readme]) => readme.test(line));
        if (standIn) used.add(standIn[0]);
        return standIn ? standIn[1] : line;
      })
      .join("\n")
      .replaceAll(README_PORT, String(port));
  const lines = ["set -euo pipefail"];
  for (const block of blocks) {
    if (block.lang === "sh" && block.text.startsWith(SECOND_TERMINAL)) {
      // The second terminal: in the background, until it listens.
      assert.ok(block.text.includes(`--port ${README_PORT}`), "the emulator's port is the README's");
      lines.push(`${shell(block.text.trim())} > "$WALKTHROUGH_TMP/emulator.log" 2>&1 &`);
      const listening = 'grep -q "listening on" "$WALKTHROUGH_TMP/emulator.log"';
      lines.push(`for _ in $(seq 150); do ${listening} && break; sleep 0.2; done; ${listening}`);
    } else if (block.lang === "sh") {
      lines.push(shell(block.text));
    } else {
      const file = /^(?:#|\/\/) (\S+)\n/.exec(block.text)?.[1];
      assert.ok(file, `a ${block.lang} block names its file on its first line`);
      lines.push(`cat > ${file} <<'WALKTHROUGH_EOF'\n${block.text}WALKTHROUGH_EOF`);
    }
  }
  assert.deepEqual(
    STAND_INS.filter(([readme]) => !used.has(readme)).map(([readme]) => readme.source),
    [],
    "the README's lines the test stands in for",
  );
  return lines.join("\n");
}

// After the README's steps: the outputs; a refresh with Pulumi's debug logging; a program with a type error.
const CHECKS = `
pulumi stack output --json --show-secrets > "$WALKTHROUGH_TMP/outputs.json"
PULUMI_DEBUG_GRPC="$WALKTHROUGH_TMP/grpc.json" pulumi refresh --yes --logtostderr -v=9 > "$WALKTHROUGH_TMP/v9.log" 2>&1
printf '%s\\n' 'import { AlationClaudeConnector } from "pulumi-alation";' \\
  'new AlationClaudeConnector("claude", { connectorName: 42 });' > index.ts
if pulumi preview > "$WALKTHROUGH_TMP/typed.log" 2>&1; then echo "walkthrough: the type error passed"; exit 1; fi
`;

describeEngine("the README's walkthrough (Using it in your stack)", function () {
  it("runs as written: a project, an emulator, pulumi up, verify --emulator", async function () {
    const cli = engineCli().cli;
    assert.ok(cli);
    const work = temporaryFolder("walkthrough-");
    const tmp = temporaryFolder("walkthrough-tmp-");
    fs.writeFileSync(path.join(tmp, "install.js"), OFFLINE_INSTALL);
    const script = walkthroughScript(walkthroughBlocks(), await freePort()) + CHECKS;
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env))
      if (!/^(ALATION|PULUMI|TS_NODE|npm)_/i.test(key)) env[key] = value;
    Object.assign(env, {
      WALKTHROUGH_REPO: repoRoot,
      WALKTHROUGH_CLI: cli.dir,
      WALKTHROUGH_INSTALL: path.join(tmp, "install.js"),
      WALKTHROUGH_TMP: tmp,
      PULUMI_HOME: path.join(tmp, "pulumi-home"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      HTTP_PROXY: "http://127.0.0.1:9",
      HTTPS_PROXY: "http://127.0.0.1:9",
      NO_PROXY: "127.0.0.1,localhost,::1",
      npm_config_offline: "true",
      npm_config_update_notifier: "false",
      npm_config_fund: "false",
      npm_config_audit: "false",
    });
    const { code, output } = await runScript(script, work, env);
    assert.equal(code, 0, `${output}\n--- emulator:\n${readIfThere(path.join(tmp, "emulator.log"))}`);

    // verify --emulator passed, and ended with the walk through Claude's wizard.
    assert.match(output, /=> OK \(\d+ passed/);
    assert.match(output, /^Claude: Customize > Connectors/m);
    const outputs = JSON.parse(fs.readFileSync(path.join(tmp, "outputs.json"), "utf8"));
    assert.deepEqual(Object.keys(outputs).sort(), ["clientId", "clientSecret", "connectorName", "remoteMcpServerUrl"]);

    // No typescript in the project: the CLI compiled and type-checked with the one @pulumi/pulumi bundles.
    const sdk = path.join(work, "my-connector", "node_modules", "@pulumi", "pulumi");
    assert.throws(() => require.resolve("typescript", { paths: [sdk] }), "typescript is not found from the SDK");
    assert.match(fs.readFileSync(path.join(tmp, "typed.log"), "utf8"), /error TS2322: Type 'number' is not assignable/);

    // The Troubleshooting's warning: Pulumi's debug logs hold the token and the client secret in plain text.
    const token = /alation:apiAccessToken (\S+)$/m.exec(script)?.[1] as string;
    for (const log of ["v9.log", "grpc.json"]) {
      const text = fs.readFileSync(path.join(tmp, log), "utf8");
      assert.ok(text.includes(token), `${log} holds the token`);
      assert.ok(text.includes(outputs.clientSecret), `${log} holds the client secret`);
    }
  });
});

/** Runs the script with bash in its own process group; everything it left running (the emulator) is stopped. */
function runScript(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", script], { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const stopGroup = () => {
      try {
        process.kill(-(child.pid as number), "SIGTERM");
      } catch {
        // the group is gone
      }
    };
    const timer = setTimeout(stopGroup, 150_000);
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      stopGroup();
      resolve({ code: code ?? 1, output });
    });
  });
}

function readIfThere(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "(none)";
}
