// The alation-emulator command: the printed URL, persistence across SIGTERM, flags, shell-path.
import { strict as assert } from "node:assert";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fetch } from "undici";
import { CLIENTS_PATH, guideClient, tempDir } from "./helpers";

const ROOT = path.resolve(__dirname, "..", "..");
// From the sources (dist/ may not be built): ts-node, transpile only.
const NODE_ARGS = ["-r", "ts-node/register/transpile-only", path.join(ROOT, "emulator", "cli.ts")];

interface Started {
  child: ChildProcess;
  url: string;
}

function startCli(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no URL printed in time: ${out}`));
    }, 20000);
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[0] });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing a URL: ${out}`));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on("exit", (code) => resolve(code))));
}

async function call(url: string, method: string, urlPath: string, token: string, body?: unknown): Promise<{ status: number; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(url + urlPath, {
    method,
    headers: { TOKEN: token, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: response.headers.get("content-type") === "application/json" ? JSON.parse(text) : undefined };
}

describe("emulator: alation-emulator CLI", function () {
  this.timeout(60000);
  let data: { dir: string; remove: () => void };
  const children: ChildProcess[] = [];
  before(() => (data = tempDir()));
  after(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    data.remove();
  });

  it("prints its URL, keeps its state across SIGTERM and a restart, and takes the token from the environment", async () => {
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
    assert.equal((await call(second.url, "GET", CLIENTS_PATH, "cli-token")).status, 403, "only the new token is the admin's");
    second.child.kill("SIGINT");
    assert.equal(await exited(second.child), 0, "a clean exit on SIGINT");
    assert.deepEqual(fs.readdirSync(data.dir), ["tenant.json"]);
  });

  it("takes --documented-only and the fault flags", async () => {
    const started = await startCli(["--admin-token", "t", "--documented-only", "--fault-rate", "1", "--fault-kinds", "503", "--fault-seed", "5", "--fault-routes", "^PATCH "]);
    children.push(started.child);
    assert.equal((await call(started.url, "GET", CLIENTS_PATH, "t")).status, 405);
    assert.equal((await call(started.url, "PATCH", `${CLIENTS_PATH}x/`, "t", {})).status, 503);
    assert.deepEqual((await call(started.url, "GET", "/__emulator/faults", "t")).json, { rate: 1, kinds: ["503"], seed: 5, routes: "^PATCH " });
    started.child.kill("SIGTERM");
    await exited(started.child);
  });

  it("takes --strict-fields and --jwt-flag optional, and refuses another --jwt-flag", async () => {
    const started = await startCli(["--admin-token", "t", "--strict-fields", "--jwt-flag", "optional"]);
    children.push(started.child);
    const body = guideClient({ name: "strict", jwt_required: true });
    const refused = await call(started.url, "POST", CLIENTS_PATH, "t", body);
    assert.deepEqual([refused.status, Object.keys(refused.json.errors)], [400, ["jwt_required"]]);
    started.child.kill("SIGTERM");
    await exited(started.child);
    const args = [...NODE_ARGS, "--admin-token", "t", "--jwt-flag", "sometimes"];
    const wrong = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", timeout: 20000 });
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /--jwt-flag must be required or optional/);
  });

  it("prints the folder of the shell commands, and refuses bad usage with exit status 2", () => {
    const shell = spawnSync(process.execPath, [...NODE_ARGS, "shell-path"], { cwd: ROOT, encoding: "utf8", timeout: 20000 });
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
