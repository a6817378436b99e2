// The plugin's ResourceProvider service. Pulumi's Node.js provider server (`@pulumi/pulumi/provider`'s `main`) serves
// the protocol and constructs components, but it drops what custom resources need: Configure's variables (its
// configure ignores them), the changed keys of a diff (`diffs`, so that replaceOnChanges works) and CheckConfig. So the
// plugin registers its own handlers for configuration and the custom resources' methods, over the SDK's service
// implementation, and leaves the rest (construct, call, plugin info, attach, cancel) to the SDK.
import * as path from "node:path";
import { misspeltConfigKeyProblems, CONNECTION_KEY_NAMES } from "../domain/connection-keys";
import { configure as configureRuntime } from "../runtime";
import type { Props } from "../runtime/runtime-provider";
import { pluginResourceOf } from "./resources";
import { revealed, secretKeysOf, withSecrets } from "./secrets";
import { PACKAGE_NAME, packageSchema, SECRET_CONFIG_KEYS } from "./schema";

type ProviderPb = typeof import("@pulumi/pulumi/proto/provider_pb");
type StructPb = typeof import("google-protobuf/google/protobuf/struct_pb");
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- gRPC requests and callbacks, typed by the protos
type Call = { request: any };
type Callback = (error: unknown, response?: unknown, trailer?: unknown) => void;
type Handler = (call: Call, callback: Callback) => void;

/** Modules of the @pulumi/pulumi that serves the plugin (the user's, beside pulumi-alation). */
export interface PulumiModules {
  grpc: typeof import("@grpc/grpc-js");
  provider: ProviderPb;
  struct: StructPb;
  empty: typeof import("google-protobuf/google/protobuf/empty_pb");
  any: typeof import("google-protobuf/google/protobuf/any_pb");
  status: typeof import("@pulumi/pulumi/proto/status_pb");
}

/** Loads the modules from the @pulumi/pulumi installation that `@pulumi/pulumi/provider` comes from. */
export function pulumiModules(): PulumiModules {
  const root = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  const load = (id: string) => require(require.resolve(id, { paths: [root] }));
  return {
    grpc: load("@grpc/grpc-js"),
    provider: load("@pulumi/pulumi/proto/provider_pb"),
    struct: load("google-protobuf/google/protobuf/struct_pb"),
    empty: load("google-protobuf/google/protobuf/empty_pb"),
    any: load("google-protobuf/google/protobuf/any_pb"),
    status: load("@pulumi/pulumi/proto/status_pb"),
  };
}

/** Conversions and error handling shared by the handlers. */
interface Protocol {
  modules: PulumiModules;
  pb: ProviderPb;
  toJs(value: { toJavaScript(): unknown } | undefined): Props;
  toStruct(props: Props): InstanceType<StructPb["Struct"]>;
  handle<R>(method: string, run: (request: R) => Promise<unknown>): Handler;
  /** Outputs as state must hold them: the type's secret fields wrapped, and every input that arrived secret. */
  stateOf(type: string, outputs: Props, secretInputs: string[]): InstanceType<StructPb["Struct"]>;
}

function protocolOf(modules: PulumiModules): Protocol {
  const { struct } = modules;
  // Struct refuses undefined: state holds JSON only.
  const toStruct = (props: Props) => struct.Struct.fromJavaScript(JSON.parse(JSON.stringify(props)));
  return {
    modules,
    pb: modules.provider,
    toJs: (value) => (value?.toJavaScript() ?? {}) as Props,
    toStruct,
    handle: (method, run) => (call, callback) => {
      run(call.request).then(
        (response) => callback(null, response),
        (error: unknown) => callback(grpcError(modules, method, error)),
      );
    },
    stateOf: (type, outputs, secretInputs) =>
      toStruct(withSecrets(outputs, [...pluginResourceOf(type).secretOutputs, ...secretInputs])),
  };
}

/** The handlers the plugin serves itself, by the service's method names. */
export function customResourceHandlers(modules: PulumiModules, version: string): Record<string, Handler> {
  const protocol = protocolOf(modules);
  return { ...configurationHandlers(protocol, version), ...planHandlers(protocol), ...lifecycleHandlers(protocol) };
}

/** The schema and the provider's configuration. */
function configurationHandlers({ pb, toJs, toStruct, handle }: Protocol, version: string): Record<string, Handler> {
  let schemaText: string | undefined;
  return {
    getSchema: handle("GetSchema", async () => {
      schemaText ??= JSON.stringify(packageSchema(version));
      return new pb.GetSchemaResponse().setSchema(schemaText);
    }),
    checkConfig: handle("CheckConfig", async (request: InstanceType<ProviderPb["CheckRequest"]>) => {
      const news = toJs(request.getNews());
      const response = new pb.CheckResponse().setInputs(toStruct(withSecrets(news, secretConfigKeys(news))));
      const problems = misspeltConfigKeyProblems(Object.keys(news).map((key) => `${PACKAGE_NAME}:${key}`));
      return response.setFailuresList(problems.map((reason) => new pb.CheckFailure().setReason(reason)));
    }),

    diffConfig: handle("DiffConfig", async (request: InstanceType<ProviderPb["DiffRequest"]>) => {
      const olds = revealed(toJs(request.getOlds())) as Props;
      const news = revealed(toJs(request.getNews())) as Props;
      const changed = CONNECTION_KEY_NAMES.filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
      const changes =
        changed.length > 0 ? pb.DiffResponse.DiffChanges.DIFF_SOME : pb.DiffResponse.DiffChanges.DIFF_NONE;
      // A new tenant or credential is not a new provider: each resource's own diff decides (the tenant moved: replace).
      return new pb.DiffResponse().setChanges(changes).setDiffsList(changed);
    }),

    configure: handle("Configure", async (request: InstanceType<ProviderPb["ConfigureRequest"]>) => {
      const values = configValues(request, toJs);
      await configureRuntime({ config: { get: (key: string) => values[key.replace(`${PACKAGE_NAME}:`, "")] } });
      return new pb.ConfigureResponse().setAcceptsecrets(true).setAcceptresources(true).setSupportspreview(false);
    }),
  };
}

/** Check and diff: offline, at preview too. */
function planHandlers({ pb, toJs, toStruct, handle }: Protocol): Record<string, Handler> {
  return {
    check: handle("Check", async (request: InstanceType<ProviderPb["CheckRequest"]>) => {
      const resource = pluginResourceOf(typeOfUrn(request.getUrn()));
      const rawNews = toJs(request.getNews());
      const news = resource.inputsFor(request.getUrn(), revealed(rawNews) as Props);
      const result = await resource.runtime.check(revealed(toJs(request.getOlds())) as Props, news);
      const inputs = withSecrets((result.inputs ?? news) as Props, [
        ...secretKeysOf(rawNews),
        ...resource.secretOutputs.filter((key) => key !== "clientSecret"),
      ]);
      const failures = (result.failures ?? []).map((failure) =>
        new pb.CheckFailure().setProperty(failure.property).setReason(failure.reason),
      );
      return new pb.CheckResponse().setInputs(toStruct(inputs)).setFailuresList(failures);
    }),

    diff: handle("Diff", async (request: InstanceType<ProviderPb["DiffRequest"]>) => {
      const resource = pluginResourceOf(typeOfUrn(request.getUrn()));
      const olds = revealed(toJs(request.getOlds())) as Props;
      const news = revealed(toJs(request.getNews())) as Props;
      const result = (await resource.runtime.diff(request.getId(), olds, news)) as {
        changes?: boolean;
        replaces?: string[];
        deleteBeforeReplace?: boolean;
        diffs?: string[];
      };
      const { DIFF_SOME, DIFF_NONE } = pb.DiffResponse.DiffChanges;
      return new pb.DiffResponse()
        .setChanges(result.changes ? DIFF_SOME : DIFF_NONE)
        .setReplacesList(result.replaces ?? [])
        .setDiffsList(result.diffs ?? [])
        .setDeletebeforereplace(result.deleteBeforeReplace ?? false);
    }),
  };
}

/** Create, read, update and delete: these reach the tenant. */
function lifecycleHandlers({ pb, modules, toJs, toStruct, handle, stateOf }: Protocol): Record<string, Handler> {
  return {
    create: handle("Create", async (request: InstanceType<ProviderPb["CreateRequest"]>) => {
      const type = typeOfUrn(request.getUrn());
      const raw = toJs(request.getProperties());
      const secretInputs = secretKeysOf(raw);
      try {
        const { id, outs } = await pluginResourceOf(type).runtime.create(revealed(raw) as Props);
        return new pb.CreateResponse().setId(id).setProperties(stateOf(type, outs as Props, secretInputs));
      } catch (error) {
        throw withSecretState(error, (props) => stateOf(type, props, secretInputs));
      }
    }),

    read: handle("Read", async (request: InstanceType<ProviderPb["ReadRequest"]>) => {
      const type = typeOfUrn(request.getUrn());
      const state = toJs(request.getProperties());
      const secretInputs = [...secretKeysOf(state), ...secretKeysOf(toJs(request.getInputs()))];
      const result = await pluginResourceOf(type).runtime.read(request.getId(), revealed(state) as Props);
      const response = new pb.ReadResponse().setId(result.id ?? "");
      if (!result.id) return response;
      response.setProperties(stateOf(type, (result.props ?? {}) as Props, secretInputs));
      if (result.inputs) response.setInputs(toStruct(withSecrets(result.inputs as Props, secretInputs)));
      return response;
    }),

    update: handle("Update", async (request: InstanceType<ProviderPb["UpdateRequest"]>) => {
      const type = typeOfUrn(request.getUrn());
      const news = toJs(request.getNews());
      const secretInputs = secretKeysOf(news);
      const olds = revealed(toJs(request.getOlds())) as Props;
      try {
        const result = await pluginResourceOf(type).runtime.update(request.getId(), olds, revealed(news) as Props);
        return new pb.UpdateResponse().setProperties(stateOf(type, (result.outs ?? {}) as Props, secretInputs));
      } catch (error) {
        throw withSecretState(error, (props) => stateOf(type, props, secretInputs));
      }
    }),

    delete: handle("Delete", async (request: InstanceType<ProviderPb["DeleteRequest"]>) => {
      const type = typeOfUrn(request.getUrn());
      await pluginResourceOf(type).runtime.delete(request.getId(), revealed(toJs(request.getProperties())) as Props);
      return new modules.empty.Empty();
    }),
  };
}

/** The type token of a URN (`urn:pulumi:STACK::PROJECT::[PARENT$]TYPE::NAME`). */
function typeOfUrn(urn: string): string {
  return (urn.split("::")[2] ?? "").split("$").pop() ?? "";
}

/** The configuration values, by key (`baseUrl`), as text: Configure's `args` (typed), else its `variables`. */
function configValues(
  request: {
    getVariablesMap(): { toObject(): Array<[string, string]> };
    getArgs(): { toJavaScript(): unknown } | undefined;
  },
  toJs: (value: { toJavaScript(): unknown } | undefined) => Props,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of request.getVariablesMap().toObject()) {
    // `alation:config:baseUrl` (or `alation:baseUrl`).
    values[key.split(":").pop() as string] = value;
  }
  for (const [key, value] of Object.entries(revealed(toJs(request.getArgs() ?? undefined)) as Props)) {
    if (value !== undefined && value !== null) values[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return values;
}

/** The configuration keys that hold credentials: kept secret in the provider's state. */
function secretConfigKeys(news: Props): string[] {
  return Object.keys(news).filter((key) => SECRET_CONFIG_KEYS.includes(key));
}

/** An error after the object exists (the runtime's ResourceInitError): its state, made as state must hold it. */
function withSecretState(error: unknown, stateOf: (props: Props) => unknown): unknown {
  const init = error as { id?: string; properties?: Props; state?: unknown };
  if (init && typeof init === "object" && init.id && init.properties) init.state = stateOf(init.properties);
  return error;
}

/**
 * A gRPC error for the engine: the message (every runtime message carries its context, never a secret), and for an
 * object created but not initialized, its id and state (ErrorResourceInitFailed), so that nothing is orphaned.
 */
function grpcError(modules: PulumiModules, method: string, error: unknown): unknown {
  const { grpc, provider: pb, any, status } = modules;
  const message = error instanceof Error ? error.message : String(error);
  const init = error as { id?: string; state?: InstanceType<StructPb["Struct"]>; reasons?: string[] };
  const metadata = new grpc.Metadata();
  if ((method === "Create" || method === "Update") && init?.id && init.state) {
    const detail = new pb.ErrorResourceInitFailed();
    detail.setId(init.id);
    detail.setProperties(init.state);
    detail.setReasonsList(init.reasons ?? [message]);
    const packed = new any.Any();
    packed.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const details = new status.Status().setCode(grpc.status.UNKNOWN).setMessage(message);
    details.addDetails(packed);
    metadata.add("grpc-status-details-bin", Buffer.from(details.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, details: message, message, metadata };
}
