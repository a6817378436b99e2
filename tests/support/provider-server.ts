// Pulumi's real dynamic-provider gRPC server (@pulumi/pulumi/cmd/dynamic-provider), started as the engine starts
// it, with a typed client speaking Pulumi's own protocol (its generated stubs). The server deserializes the
// `__provider` it is given (require-from-string, resolved from its cwd), so `cwd` must be a folder where
// `pulumi-alation` resolves to the package (see installed-package.ts).
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const serverScript = path.join(pulumiDir, "cmd", "dynamic-provider", "index.js");
const provrpc = require(path.join(pulumiDir, "proto", "provider_grpc_pb"));
const provproto = require(path.join(pulumiDir, "proto", "provider_pb"));
const statusproto = require(path.join(pulumiDir, "proto", "status_pb"));
// The google-protobuf copy @pulumi/pulumi's generated code uses (it has its own).
const structproto = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] }));

type Props = Record<string, unknown>;

/** A failure answered by the server; for a create/update that left the resource created, its id and properties. */
export class ProviderCallError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly initFailure?: { id: string; properties: Props; reasons: string[] },
  ) {
    super(message);
    this.name = "ProviderCallError";
  }
}

/** Pulumi's dynamic-provider server and a client for it. */
export interface ProviderServer {
  /** The server's port on 127.0.0.1. */
  readonly port: number;
  /** The server's process id (to kill it as a crash would). */
  readonly pid: number;
  /** Configure with stack config (`{"alation:baseUrl": "..."}`); the engine calls it before anything else. */
  configure(config: Record<string, string>): Promise<void>;
  check(olds: Props, news: Props): Promise<{ inputs: Props; failures: Array<{ property: string; reason: string }> }>;
  diff(
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: "unknown" | "none" | "some"; replaces: string[]; deleteBeforeReplace: boolean }>;
  create(properties: Props): Promise<{ id: string; properties: Props }>;
  read(id: string, properties: Props): Promise<{ id: string; properties: Props; inputs?: Props }>;
  update(id: string, olds: Props, news: Props): Promise<{ properties: Props }>;
  delete(id: string, properties: Props): Promise<void>;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  /** Stops the server (idempotent). */
  kill(): Promise<void>;
}

/** Options of startProviderServer. */
export interface ProviderServerOptions {
  /** The folder the server runs in: the user's project, where `pulumi-alation` is installed. */
  cwd: string;
  /** Environment of the server (default: this process's, without ALATION_* variables). */
  env?: NodeJS.ProcessEnv;
  /** Time limit of each call, ms (default 30000). */
  callTimeoutMs?: number;
}

/** Environment without ALATION_* variables, plus `extra`. */
export function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("ALATION_")) env[key] = value;
  return { ...env, ...extra };
}

/** Starts the server and connects to it. */
export async function startProviderServer(options: ProviderServerOptions): Promise<ProviderServer> {
  // The engine passes its own address; this server only requires that an argument be there.
  const child = spawn(process.execPath, [serverScript, "127.0.0.1:1"], {
    cwd: options.cwd,
    env: options.env ?? cleanEnvironment(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const port = await readPort(child, () => output);
  const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;

  const call = <T>(method: string, request: unknown): Promise<T> =>
    new Promise((resolve, reject) => {
      const deadline = new Date(Date.now() + callTimeoutMs);
      client[method](request, new grpc.Metadata(), { deadline }, (error: grpc.ServiceError | null, response: T) => {
        if (error) reject(providerCallError(error));
        else resolve(response);
      });
    });

  let killed: Promise<void> | undefined;
  return {
    port,
    pid: child.pid as number,
    async configure(config) {
      const request = new provproto.ConfigureRequest();
      request.setArgs(toStruct(config));
      request.setAcceptsecrets(false);
      await call("configure", request);
    },
    async check(olds, news) {
      const request = new provproto.CheckRequest();
      request.setOlds(toStruct(olds));
      request.setNews(toStruct(news));
      const response = await call<{
        getInputs(): Struct;
        getFailuresList(): Array<{ getProperty(): string; getReason(): string }>;
      }>("check", request);
      return {
        inputs: toObject(response.getInputs()),
        failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },
    async diff(id, olds, news) {
      const request = new provproto.DiffRequest();
      request.setId(id);
      request.setOlds(toStruct(olds));
      request.setNews(toStruct(news));
      const response = await call<{
        getChanges(): number;
        getReplacesList(): string[];
        getDeletebeforereplace(): boolean;
      }>("diff", request);
      const changes = (["unknown", "none", "some"] as const)[response.getChanges()];
      return { changes, replaces: response.getReplacesList(), deleteBeforeReplace: response.getDeletebeforereplace() };
    },
    async create(properties) {
      const request = new provproto.CreateRequest();
      request.setProperties(toStruct(properties));
      const response = await call<{ getId(): string; getProperties(): Struct }>("create", request);
      return { id: response.getId(), properties: toObject(response.getProperties()) };
    },
    async read(id, properties) {
      const request = new provproto.ReadRequest();
      request.setId(id);
      request.setProperties(toStruct(properties));
      const response = await call<{ getId(): string; getProperties(): Struct; getInputs(): Struct | undefined }>(
        "read",
        request,
      );
      const inputs = response.getInputs();
      return {
        id: response.getId(),
        properties: toObject(response.getProperties()),
        inputs: inputs ? toObject(inputs) : undefined,
      };
    },
    async update(id, olds, news) {
      const request = new provproto.UpdateRequest();
      request.setId(id);
      request.setOlds(toStruct(olds));
      request.setNews(toStruct(news));
      const response = await call<{ getProperties(): Struct }>("update", request);
      return { properties: toObject(response.getProperties()) };
    },
    async delete(id, properties) {
      const request = new provproto.DeleteRequest();
      request.setId(id);
      request.setProperties(toStruct(properties));
      await call<unknown>("delete", request);
    },
    output: () => output,
    kill() {
      killed ??= new Promise<void>((resolve) => {
        client.close();
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
      return killed;
    },
  };
}

interface Struct {
  toJavaScript(): Props;
}

// As the engine marshals properties: plain JSON values (an undefined field is absent).
function toStruct(value: Props): Struct {
  return structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
}

function toObject(struct: Struct | undefined): Props {
  return struct ? struct.toJavaScript() : {};
}

function readPort(child: ChildProcess, output: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`the provider server printed no port in 20 s:\n${output()}`)),
      20_000,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    const onData = () => {
      const match = /^(\d+)\s*$/m.exec(output());
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      resolve(Number(match[1]));
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) =>
      fail(new Error(`the provider server exited (${code}) before printing its port:\n${output()}`)),
    );
  });
}

// Decodes `grpc-status-details-bin` (ErrorResourceInitFailed) the way the engine does.
function providerCallError(error: grpc.ServiceError): ProviderCallError {
  const details = error.metadata?.get("grpc-status-details-bin")?.[0];
  let initFailure: ProviderCallError["initFailure"];
  if (details) {
    const status = statusproto.Status.deserializeBinary(new Uint8Array(details as Buffer));
    for (const any of status.getDetailsList()) {
      const failed = any.unpack(
        provproto.ErrorResourceInitFailed.deserializeBinary,
        "pulumirpc.ErrorResourceInitFailed",
      );
      if (failed) {
        initFailure = {
          id: failed.getId(),
          properties: toObject(failed.getProperties()),
          reasons: failed.getReasonsList(),
        };
      }
    }
  }
  return new ProviderCallError(error.details || error.message, error.code, initFailure);
}
