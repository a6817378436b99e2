// Our Node.js language host (tools/pulumi-cli/language-nodejs), on its own: built (the cached CLI build's when there
// is one, else `go build` of the host alone, seconds with Go's build cache), started as the engine starts it, and
// asked to Run a tiny program, this test standing in for the engine: a resource monitor and an engine service of its
// own, over Pulumi's generated gRPC stubs. The engine suite (tests/engine/) runs it through the real `pulumi`.
import { strict as assert } from "node:assert";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { cachedBuildDir, MODULE_DIR, pinnedVersion, VERSION_VARIABLE } from "../../tools/pulumi-cli/locate";

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const proto = (name: string) => require(path.join(pulumiDir, "proto", name));
const languageRpc = proto("language_grpc_pb");
const languageProto = proto("language_pb");
const resourceRpc = proto("resource_grpc_pb");
const resourceProto = proto("resource_pb");
const engineRpc = proto("engine_grpc_pb");
const engineProto = proto("engine_pb");
// The google-protobuf copies @pulumi/pulumi's generated code uses.
const fromPulumi = (name: string) => require(require.resolve(name, { paths: [pulumiDir] }));
const structProto = fromPulumi("google-protobuf/google/protobuf/struct_pb");
const emptyProto = fromPulumi("google-protobuf/google/protobuf/empty_pb");

const repoRoot = path.resolve(__dirname, "..", "..");
const HOST = "pulumi-language-nodejs";

/** The host binary: the cached build of these sources, else one built now; undefined without either (no Go). */
function hostBinary(scratch: string): string | undefined {
  const cached = path.join(cachedBuildDir(), HOST);
  if (fs.existsSync(cached)) return cached;
  const built = path.join(scratch, HOST);
  const ldflags = `-X ${VERSION_VARIABLE}=v${pinnedVersion()}`;
  const go = spawnSync("go", ["build", "-ldflags", ldflags, "-o", built, "./language-nodejs"], {
    cwd: MODULE_DIR,
    encoding: "utf8",
  });
  if (go.error && (go.error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
  assert.equal(go.status, 0, `go build of the language host failed:\n${go.stderr}`);
  return built;
}

/** The getters of the requests the stand-in engine reads (Pulumi's generated messages). */
interface Request {
  getType(): string;
  getName(): string;
  getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined;
  getMessage(): string;
  getUrn(): string;
}
type Call = grpc.ServerUnaryCall<Request, unknown>;

/** The calls of the language host's client used here. */
interface LanguageClient {
  getPluginInfo(request: unknown, done: (error: Error | null, answer: { getVersion(): string }) => void): void;
  run(request: unknown, done: (error: Error | null, answer: { getError(): string; getBail(): boolean }) => void): void;
  close(): void;
}

/** What the stand-in engine saw of one program run. */
interface Seen {
  registered: Array<{ type: string; name: string }>;
  outputs: Record<string, unknown>[];
  logs: string[];
}

/** A resource monitor and an engine service on one loopback port, answering as the engine would a tiny program. */
async function startStandInEngine(seen: Seen): Promise<{ address: string; stop: () => void }> {
  const server = new grpc.Server();
  let root = "";
  server.addService(resourceRpc.ResourceMonitorService, {
    supportsFeature: (_call: unknown, done: grpc.sendUnaryData<unknown>) =>
      done(null, new resourceProto.SupportsFeatureResponse().setHassupport(false)),
    registerResource: (call: Call, done: grpc.sendUnaryData<unknown>) => {
      const [type, name] = [call.request.getType(), call.request.getName()];
      seen.registered.push({ type, name });
      const urn = `urn:pulumi:smoke::smoke::${type}::${name}`;
      done(null, new resourceProto.RegisterResourceResponse().setUrn(urn).setObject(new structProto.Struct()));
    },
    registerResourceOutputs: (call: Call, done: grpc.sendUnaryData<unknown>) => {
      seen.outputs.push(call.request.getOutputs()?.toJavaScript() ?? {});
      done(null, new emptyProto.Empty());
    },
  });
  server.addService(engineRpc.EngineService, {
    log: (call: Call, done: grpc.sendUnaryData<unknown>) => {
      seen.logs.push(call.request.getMessage());
      done(null, new emptyProto.Empty());
    },
    getRootResource: (_call: unknown, done: grpc.sendUnaryData<unknown>) =>
      done(null, new engineProto.GetRootResourceResponse().setUrn(root)),
    setRootResource: (call: Call, done: grpc.sendUnaryData<unknown>) => {
      root = call.request.getUrn();
      done(null, new engineProto.SetRootResourceResponse());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return { address: `127.0.0.1:${port}`, stop: () => server.forceShutdown() };
}

/** Starts the host as the engine does (its address the last argument) and reads its port from its first line. */
async function startHost(binary: string, engineAddress: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(binary, [engineAddress], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = "";
    child.stdout!.on("data", (chunk) => {
      stdout += chunk;
      const line = /^(\d+)\n/.exec(stdout);
      if (line) resolve(Number(line[1]));
    });
    child.on("exit", (code) => reject(new Error(`the language host exited (${code}) before its port:\n${stderr}`)));
  });
  return { child, port };
}

describe("tools/pulumi-cli/language-nodejs: the language host on its own", function () {
  this.timeout(300_000); // a first `go build` without Go's build cache; seconds otherwise
  let scratch: string;
  let host: { child: ChildProcess; port: number } | undefined;
  let engine: { address: string; stop: () => void } | undefined;
  let client: LanguageClient;
  const seen: Seen = { registered: [], outputs: [], logs: [] };

  before(async function () {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "language-host-"));
    const binary = hostBinary(scratch);
    if (!binary) {
      console.log(`    skipped: no cached build in ${cachedBuildDir()} and no Go to build the language host`);
      this.skip();
    }
    engine = await startStandInEngine(seen);
    host = await startHost(binary!, engine.address);
    client = new languageRpc.LanguageRuntimeClient(`127.0.0.1:${host.port}`, grpc.credentials.createInsecure());
  });
  after(() => {
    client?.close();
    host?.child.kill();
    engine?.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** A program folder: `index.js`, with @pulumi/pulumi resolved from this repository's node_modules. */
  function program(name: string, source: string): string {
    const dir = path.join(scratch, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "index.js"), source);
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
    return dir;
  }

  /**
   * A program folder whose node_modules holds a stand-in @pulumi/pulumi with an "exports" map, whose cmd/run only
   * writes the file `ran` beside the program: the host's own lookup leaves such a package to node. Its
   * cmd/run/index.js, which the map does not export, is what a lookup blind to the map would run.
   */
  function programWithExportsMap(name: string): string {
    const dir = path.join(scratch, name);
    const sdk = path.join(dir, "node_modules", "@pulumi", "pulumi");
    fs.mkdirSync(sdk, { recursive: true });
    fs.writeFileSync(path.join(dir, "index.js"), "");
    const manifest = { name: "@pulumi/pulumi", version: "0.0.0", exports: { "./cmd/run": "./runner.js" } };
    fs.writeFileSync(path.join(sdk, "package.json"), JSON.stringify(manifest));
    fs.writeFileSync(
      path.join(sdk, "runner.js"),
      'require("node:fs").writeFileSync("ran", process.argv.slice(2).join(" "));\n',
    );
    fs.mkdirSync(path.join(sdk, "cmd", "run"), { recursive: true });
    fs.writeFileSync(
      path.join(sdk, "cmd", "run", "index.js"),
      'require("node:fs").writeFileSync("ran", "unexported");\n',
    );
    return dir;
  }

  /** Asks the host to Run the program in `dir`, as the engine does for `pulumi up`. */
  function run(dir: string, config: Record<string, string>): Promise<{ error: string; bail: boolean }> {
    const info = new languageProto.ProgramInfo()
      .setRootDirectory(dir)
      .setProgramDirectory(dir)
      .setEntryPoint(".")
      .setOptions(structProto.Struct.fromJavaScript({ typescript: false }));
    const request = new languageProto.RunRequest()
      .setProject("smoke")
      .setStack("smoke")
      .setPwd(dir)
      .setMonitorAddress(engine!.address)
      .setInfo(info);
    for (const [key, value] of Object.entries(config)) request.getConfigMap().set(key, value);
    return new Promise((resolve, reject) =>
      client.run(request, (error, response) =>
        error ? reject(error) : resolve({ error: response.getError(), bail: response.getBail() }),
      ),
    );
  }

  it("answers the engine's question of its version: the pinned Pulumi's", async () => {
    const version = await new Promise<string>((resolve, reject) =>
      client.getPluginInfo(new emptyProto.Empty(), (error, answer) =>
        error ? reject(error) : resolve(answer.getVersion()),
      ),
    );
    assert.equal(version, `v${pinnedVersion()}`);
  });

  it("runs a program with the stack config: its stack and outputs reach the engine", async () => {
    const dir = program(
      "hello",
      'const pulumi = require("@pulumi/pulumi");\n' +
        'exports.greeting = `hello ${new pulumi.Config("smoke").require("name")}`;\n',
    );
    const result = await run(dir, { "smoke:name": "language host" });
    assert.deepEqual(result, { error: "", bail: false }, seen.logs.join("\n"));
    assert.deepEqual(seen.registered, [{ type: "pulumi:pulumi:Stack", name: "smoke-smoke" }]);
    assert.deepEqual(seen.outputs.at(-1), { greeting: "hello language host" });
  });

  it("leaves an @pulumi/pulumi with an exports map to node's own resolution", async () => {
    const dir = programWithExportsMap("exports-map");
    const result = await run(dir, {});
    assert.deepEqual(result, { error: "", bail: false });
    assert.match(fs.readFileSync(path.join(dir, "ran"), "utf8"), /--monitor \S+ .*--stack smoke .*\.$/);
  });

  it("says what to install when the program's project has no @pulumi/pulumi", async () => {
    const dir = path.join(scratch, "no-sdk");
    fs.mkdirSync(dir);
    const result = await run(dir, {});
    assert.equal(
      result.error,
      `could not find @pulumi/pulumi/cmd/run from ${dir}: install @pulumi/pulumi in the program's project ` +
        "(npm install @pulumi/pulumi)",
    );
  });
});
