// The alation-emulator command: the printed URL, persistence across SIGTERM, flags, shell-path.
import { strict as assert } from "node:assert";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { fetch } from "undici";
import { FAULT_KINDS } from "../../emulator/faults";
import { CLIENTS_PATH, tempDir } from "../support/test-tenant";
import { guideClient } from "../support/connector-guide";

const ROOT = path.resolve(__dirname, "..", "..");
// The built command, as `bin` runs it (npm test and test:unit build dist/ first): a start from the sources through
// ts-node took four times as long, and this file starts it some thirty times.
const CLI = path.join(ROOT, "dist", "emulator", "cli.js");
const NODE_ARGS = [CLI];

interface Started {
  child: ChildProcess;
  url: string;
  /** Everything it printed so far. */
  stdout(): string;
  stderr(): string;
}

// Root writes through any file mode: a read-only data dir is tested with the emulator run as an unprivileged user.
const ROOT_USER = process.getuid?.() === 0;
const NOBODY = 65534;
const asUnprivileged = ROOT_USER ? { uid: NOBODY, gid: NOBODY } : {};
/**
 * Whether the emulator can run as that user from this checkout: not in a clone below a folder only root may enter
 * (`mktemp -d` makes such folders), where those cases are skipped, saying why.
 */
const UNPRIVILEGED_RUNS =
  !ROOT_USER ||
  spawnSync(process.execPath, ["-e", 'require.resolve("undici"); require("fs").accessSync(process.argv[1])', CLI], {
    cwd: ROOT,
    ...asUnprivileged,
  }).status === 0;
const UNPRIVILEGED_SKIPPED = `(skipped: user nobody, as whom the emulator runs here, cannot read ${ROOT})`;

/** A folder the emulator (run with asUnprivileged) may write, until readOnly() is called. */
function writableDir(dir: string): { readOnly(): void; writable(): void } {
  if (ROOT_USER) fs.chownSync(dir, NOBODY, NOBODY);
  return { readOnly: () => fs.chmodSync(dir, 0o555), writable: () => fs.chmodSync(dir, 0o755) };
}

function startCli(
  args: string[],
  env: Record<string, string> = {},
  options: { uid?: number; gid?: number } = {},
): Promise<Started> {
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    ...options,
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no URL printed in time: ${out}`));
    }, 20000);
    child.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[0], stdout: () => out, stderr: () => err });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing a URL: ${out}`));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.on("exit", (code) => resolve(code)),
  );
}

async function call(
  url: string,
  method: string,
  urlPath: string,
  token: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read whatever the answer holds
): Promise<{ status: number; json: any }> {
  const response = await fetch(url + urlPath, {
    method,
    signal: AbortSignal.timeout(10000),
    headers: { TOKEN: token, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    json: response.headers.get("content-type") === "application/json" ? JSON.parse(text) : undefined,
  };
}

function runCli(args: string[], options: object = {}): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, ALATION_EMULATOR_ADMIN_TOKEN: "", HOME: os.tmpdir() };
  const spawnOptions = { cwd: ROOT, encoding: "utf8" as const, timeout: 20000, env, ...options };
  return spawnSync(process.execPath, [...NODE_ARGS, ...args], spawnOptions);
}

describe("emulator: alation-emulator CLI", function () {
  this.timeout(60000);
  before(() => assert.ok(fs.existsSync(CLI), `${CLI} is missing: build first (npm run build)`));
  let data: { dir: string; remove: () => void };
  const children: ChildProcess[] = [];
  before(() => (data = tempDir()));
  after(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    data.remove();
  });

  it("prints its URL, keeps its state across SIGTERM and a restart, takes the token from the environment", async () => {
    const first = await startCli(["--port", "0", "--data-dir", data.dir, "--admin-token", "cli-token"]);
    children.push(first.child);
    const created = await call(first.url, "POST", CLIENTS_PATH, "cli-token", guideClient({ name: "from-cli" }));
    assert.equal(created.status, 201);
    first.child.kill("SIGTERM");
    assert.equal(await exited(first.child), 0, "a clean exit on SIGTERM");

    const second = await startCli(["--data-dir", data.dir], { ALATION_EMULATOR_ADMIN_TOKEN: "env-token" });
    children.push(second.child);
    const read = await call(second.url, "GET", `${CLIENTS_PATH}${created.json.client_id}/`, "env-token");
    assert.equal(read.status, 200);
    assert.equal(read.json.name, "from-cli");
    assert.equal(
      (await call(second.url, "GET", CLIENTS_PATH, "cli-token")).status,
      403,
      "only the new token is the admin's",
    );
    second.child.kill("SIGINT");
    assert.equal(await exited(second.child), 0, "a clean exit on SIGINT");
    assert.deepEqual(fs.readdirSync(data.dir), ["tenant.json"]);
  });

  it("takes --documented-only and the fault flags", async () => {
    const started = await startCli([
      "--admin-token",
      "t",
      "--documented-only",
      "--fault-rate",
      "1",
      "--fault-kinds",
      "503",
      "--fault-seed",
      "5",
      "--fault-routes",
      "^PATCH ",
    ]);
    children.push(started.child);
    assert.equal((await call(started.url, "GET", CLIENTS_PATH, "t")).status, 405);
    assert.equal((await call(started.url, "PATCH", `${CLIENTS_PATH}x/`, "t", {})).status, 503);
    assert.deepEqual((await call(started.url, "GET", "/__emulator/faults", "t")).json, {
      rate: 1,
      kinds: ["503"],
      seed: 5,
      routes: "^PATCH ",
    });
    started.child.kill("SIGTERM");
    await exited(started.child);
  });

  it("answers 503 with a message and logs it when its data dir turns read-only; the state stays", async function () {
    if (!UNPRIVILEGED_RUNS) {
      console.log(`      ${UNPRIVILEGED_SKIPPED}`);
      this.skip();
    }
    const dir = tempDir();
    const access = writableDir(dir.dir);
    try {
      const args = ["--data-dir", dir.dir, "--admin-token", "t", "--verbose"];
      const started = await startCli(args, { HOME: dir.dir }, asUnprivileged);
      children.push(started.child);
      const first = await call(started.url, "POST", CLIENTS_PATH, "t", guideClient({ name: "first" }));
      assert.equal(first.status, 201);
      const saved = fs.readFileSync(path.join(dir.dir, "tenant.json"), "utf8");
      access.readOnly();
      const refused = await call(started.url, "POST", CLIENTS_PATH, "t", guideClient({ name: "second" }));
      assert.equal(refused.status, 503);
      assert.match(refused.json.detail, /not saved, so nothing changed: the data dir .* is not writable \(EACCES\)/);
      const firstPath = `${CLIENTS_PATH}${first.json.client_id}/`;
      const patched = await call(started.url, "PATCH", firstPath, "t", { access_token_expiry: 7200 });
      assert.equal(patched.status, 503);
      const state = await call(started.url, "GET", "/__emulator/state", "t");
      const clients: Array<{ name: string; access_token_expiry: number }> = state.json.clients;
      assert.deepEqual(
        clients.map((c) => [c.name, c.access_token_expiry]),
        [["first", 86400]],
      );
      assert.equal(fs.readFileSync(path.join(dir.dir, "tenant.json"), "utf8"), saved);
      assert.match(started.stderr(), /POST \/integration\/core\/v1\/oauth\/clients\/: the change was not saved/);
      access.writable();
      assert.equal((await call(started.url, "POST", CLIENTS_PATH, "t", guideClient({ name: "second" }))).status, 201);
      started.child.kill("SIGTERM");
      assert.equal(await exited(started.child), 0);
    } finally {
      access.writable();
      dir.remove();
    }
  });

  it("exits 1 with one line naming the cause and the fix when it cannot start", async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const busyPort = String((holder.address() as AddressInfo).port);
    const dir = tempDir();
    const file = path.join(dir.dir, "a-file");
    fs.writeFileSync(file, "");
    const readOnly = path.join(dir.dir, "read-only");
    fs.mkdirSync(readOnly);
    writableDir(readOnly).readOnly();
    try {
      const cases: Array<[string[], RegExp, object?]> = [
        [["--port", busyPort], new RegExp(`^port ${busyPort} on 127.0.0.1 is already in use \\(EADDRINUSE\\): .*port`)],
        [["--host", "no-such.invalid"], /^host no-such.invalid is not an address of this machine \(ENOTFOUND\): use/],
        [["--data-dir", file], /^the data dir .*a-file is a file, not a folder \(EEXIST\): give the path of a folder/],
        [["--data-dir", path.join(file, "in")], /^the data dir .*in is inside a file \(ENOTDIR\): give the path of a/],
        [["--data-dir", readOnly], /^the data dir .*read-only is not writable \(EACCES\): make it/, asUnprivileged],
      ];
      if (!UNPRIVILEGED_RUNS) {
        console.log(`      the read-only data dir case ${UNPRIVILEGED_SKIPPED}`);
        cases.pop();
      }
      for (const [args, expected, options] of cases) {
        const run = runCli(["--admin-token", "t", ...args], options);
        assert.equal(run.status, 1, `${args.join(" ")}: ${run.stderr}`);
        assert.equal(run.stderr.trim().split("\n").length, 1, `one line: ${run.stderr}`);
        assert.match(run.stderr.replace(/^alation-emulator: /, ""), expected);
        assert.doesNotMatch(run.stderr, /usage:/);
      }
    } finally {
      holder.close();
      fs.chmodSync(readOnly, 0o755);
      dir.remove();
    }
  });

  it("names the flag in errors, parses negative numbers, --help names its README, says listening once", async () => {
    const bad: Array<[string[], string]> = [
      [["--fault-rate", "2"], "--fault-rate must be a number from 0 to 1"],
      [["--latency-ms", "-5"], "--latency-ms must be a whole number of ms from 0 to 60000"],
      [["--retry-after", "-1"], "--retry-after must be a whole number of seconds from 0 to 3600"],
      [["--fault-seed", "1.5"], "--fault-seed must be a whole number"],
      [["--fault-kinds", "500,boom"], `--fault-kinds must each be one of ${FAULT_KINDS.join(", ")}`],
      [["--fault-routes", "("], "--fault-routes must be a valid regular expression"],
      [["--port", "-1"], "--port must be a number from 0 to 65535, got -1"],
    ];
    for (const [args, message] of bad) {
      const run = runCli(["--admin-token", "t", ...args]);
      assert.equal(run.status, 2, args.join(" "));
      assert.equal(run.stderr, `alation-emulator: ${message} (alation-emulator --help for usage)\n`);
    }
    const help = runCli(["--help"]);
    assert.equal(help.status, 0);
    const readme = /Every flag, the test hooks and fault injection: (\S+)$/m.exec(help.stdout)?.[1];
    assert.ok(readme && fs.readFileSync(readme, "utf8").startsWith("# alation-emulator"), help.stdout);

    const verbose = await startCli(["--admin-token", "t", "--verbose", "--latency-ms", "0"]);
    children.push(verbose.child);
    await call(verbose.url, "GET", "/__emulator/state", "t");
    verbose.child.kill("SIGTERM");
    await exited(verbose.child);
    const printed = `${verbose.stdout()}${verbose.stderr()}`;
    assert.equal(printed.match(/listening/g)?.length, 1, printed);
  });

  it("takes --strict-fields, --web-redirect-uris-only, --jwt-flag optional; refuses another --jwt-flag", async () => {
    const started = await startCli(["--admin-token", "t", "--strict-fields", "--jwt-flag", "optional"]);
    children.push(started.child);
    const body = guideClient({ name: "strict", jwt_required: true });
    const refused = await call(started.url, "POST", CLIENTS_PATH, "t", body);
    assert.deepEqual([refused.status, Object.keys(refused.json.errors)], [400, ["jwt_required"]]);
    started.child.kill("SIGTERM");
    await exited(started.child);
    const webOnly = await startCli(["--admin-token", "t", "--web-redirect-uris-only"]);
    children.push(webOnly.child);
    const cursor = guideClient({ name: "cursor", redirect_uris: ["cursor://anysphere.cursor-mcp/oauth/callback"] });
    const refusedScheme = await call(webOnly.url, "POST", CLIENTS_PATH, "t", cursor);
    assert.deepEqual([refusedScheme.status, Object.keys(refusedScheme.json.errors)], [400, ["redirect_uris"]]);
    webOnly.child.kill("SIGTERM");
    await exited(webOnly.child);
    const args = [...NODE_ARGS, "--admin-token", "t", "--jwt-flag", "sometimes"];
    const wrong = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", timeout: 20000 });
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /--jwt-flag must be required or optional/);
  });

  it("takes the modes of /ai/mcp, of no token, CIMD and DCR; refuses another mode, naming the flag", async () => {
    const flags = ["--mcp-without-slash", "answer", "--mcp-without-token", "answer", "--advertise-cimd"];
    const started = await startCli(["--admin-token", "t", ...flags, "--advertise-dcr"]);
    children.push(started.child);
    // No token, no slash: answered (not redirected, not challenged); the SDK's transport then wants its headers.
    const slashless = await fetch(`${started.url}/ai/mcp`, { method: "POST", redirect: "manual", body: "{}" });
    assert.equal(slashless.status, 406);
    const metadata = (await call(started.url, "GET", "/.well-known/oauth-authorization-server", "t")).json;
    assert.equal(metadata.client_id_metadata_document_supported, true);
    assert.ok(metadata.registration_endpoint);
    started.child.kill("SIGTERM");
    await exited(started.child);
    for (const [flag, modes] of [
      ["--mcp-without-slash", "redirect or answer"],
      ["--mcp-without-token", "challenge or answer"],
    ]) {
      const args = [...NODE_ARGS, "--admin-token", "t", flag, "sometimes"];
      const wrong = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", timeout: 20000 });
      assert.equal(wrong.status, 2);
      assert.match(wrong.stderr, new RegExp(`${flag} must be ${modes}, got sometimes`));
    }
  });

  it("takes --api-generation b and --no-openapi; refuses another generation", async () => {
    const started = await startCli(["--admin-token", "t", "--api-generation", "b", "--no-openapi"]);
    children.push(started.child);
    const { access_token_expiry, refresh_token_expiry, pkce_required, ...shared } = guideClient({ name: "b" });
    const body = {
      ...shared,
      access_token_lifetime: access_token_expiry,
      refresh_token_lifetime: refresh_token_expiry,
      pkce_enabled: pkce_required,
    };
    assert.equal((await call(started.url, "POST", "/integration/core/v1/clients/", "t", body)).status, 201);
    assert.equal((await call(started.url, "POST", CLIENTS_PATH, "t", guideClient())).status, 404);
    assert.equal((await call(started.url, "GET", "/openapi/oauth2/", "t")).status, 404);
    started.child.kill("SIGTERM");
    await exited(started.child);
    const wrong = runCli(["--admin-token", "t", "--api-generation", "c"]);
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /--api-generation must be a or b or both, got c/);
  });

  it("prints the folder of the shell commands, and refuses bad usage with exit status 2", () => {
    const shell = spawnSync(process.execPath, [...NODE_ARGS, "shell-path"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 20000,
    });
    assert.equal(shell.status, 0);
    const folder = shell.stdout.trim();
    for (const name of ["alation_conf", "alation_django_shell"]) {
      assert.ok(fs.statSync(path.join(folder, name)).mode & 0o100, `${name} is executable`);
    }
    const env = { ...process.env, ALATION_EMULATOR_ADMIN_TOKEN: "" };
    const noToken = spawnSync(process.execPath, [...NODE_ARGS], { cwd: ROOT, encoding: "utf8", timeout: 20000, env });
    assert.equal(noToken.status, 2);
    assert.match(noToken.stderr, /admin token/);
  });
});
