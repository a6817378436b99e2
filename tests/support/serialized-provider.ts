// Builds a resource under Pulumi's mocks and returns what the engine would receive: its type token, its registered
// inputs and the serialized provider (`__provider`) to feed Pulumi's real dynamic-provider server.
import * as pulumi from "@pulumi/pulumi";
import { isSecretValue, unwrapSecrets } from "./pulumi-secrets";

const settings: { getMonitor(): Monitor } = require("@pulumi/pulumi/runtime/settings");

interface RegisterRequest {
  getName(): string;
  getAdditionalsecretoutputsList(): string[];
}

interface Monitor {
  registerResource(request: RegisterRequest, callback: unknown): unknown;
}

/** One resource as the engine would see its registration. */
export interface SerializedResource {
  /** The type token, e.g. `pulumi-nodejs:dynamic/alation:OAuthApplication`. */
  type: string;
  /** The resource name. */
  name: string;
  /**
   * The registered inputs, `__provider` included, with secrets unwrapped: what the engine sends a provider that does
   * not accept secrets (as Pulumi's dynamic-provider server does not).
   */
  inputs: Record<string, unknown>;
  /** Top-level input names the engine would store as secrets. */
  secretInputs: string[];
  /** The serialized provider, `inputs.__provider`. */
  provider: string;
  /** The resource option `additionalSecretOutputs` as registered (the engine makes these outputs secret). */
  additionalSecretOutputs: string[];
}

/**
 * Runs `build` under mocks and returns the registration of the resource it constructs (the last one registered when
 * it constructs several).
 */
export async function serializeResource(build: () => pulumi.CustomResource): Promise<SerializedResource> {
  const registered: SerializedResource[] = [];
  const secretOutputs = new Map<string, string[]>();
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const raw = args.inputs as Record<string, unknown>;
        const inputs = unwrapSecrets(raw) as Record<string, unknown>;
        const secretInputs = Object.keys(raw).filter((key) => isSecretValue(raw[key]));
        registered.push({
          type: args.type,
          name: args.name,
          inputs,
          secretInputs,
          provider: String(inputs.__provider ?? ""),
          additionalSecretOutputs: secretOutputs.get(args.name) ?? [],
        });
        return { id: `${args.name}-id`, state: raw };
      },
      call: (args) => args.inputs,
    },
    "project",
    "stack",
    false,
  );
  // The mocks do not hand resource options to newResource: read additionalSecretOutputs off the request.
  const monitor = settings.getMonitor();
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request: RegisterRequest, callback: unknown) => {
    secretOutputs.set(request.getName(), request.getAdditionalsecretoutputsList());
    return registerResource(request, callback);
  };
  const resource = build();
  await new Promise<void>((resolve) => resource.urn.apply(() => resolve()));
  const last = registered[registered.length - 1];
  if (!last) throw new Error("no resource was registered");
  return last;
}
