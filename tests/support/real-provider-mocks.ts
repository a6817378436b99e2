// Pulumi mocks whose dynamic resources are created by their real serialized providers: the mock deserializes
// `__provider` as Pulumi's dynamic-provider server does (require-from-string), resolving `pulumi-alation` from a
// user project where the packed package is installed, then calls check and create, so the component
// and the examples are tested against a real (emulated) tenant. Other resources echo their inputs.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { installedPackageProject } from "./installed-package";
import { unwrapSecrets } from "./pulumi-secrets";

// The same loader Pulumi's dynamic-provider server uses.
const requireFromString: (
  code: string,
  filename?: string,
) => { handler(): DynamicProviderStub } = require("require-from-string");

interface DynamicProviderStub {
  configure?(req: { config: { get(key: string): string | undefined } }): Promise<void> | void;
  check?(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ inputs?: Record<string, unknown>; failures?: Array<{ property: string; reason: string }> }>;
  create(inputs: Record<string, unknown>): Promise<{ id: string; outs?: Record<string, unknown> }>;
}

/** What the mocks saw: every registered resource, in order. */
export interface RegisteredResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  state: Record<string, unknown>;
  /** The provider reference (`URN::id`) it was registered with, if any. */
  provider?: string;
}

export interface RealProviderMocks {
  registered: RegisteredResource[];
  /** Serialized providers seen (to check their size and content). */
  providers: string[];
}

/**
 * Installs the mocks. `stackConfig` plays the stack's config as the dynamic-provider server hands it to
 * `configure` ("alation:baseUrl", ...).
 */
export async function setRealProviderMocks(
  stackConfig: Record<string, string> = {},
  options: { preview?: boolean } = {},
): Promise<RealProviderMocks> {
  const seen: RealProviderMocks = { registered: [], providers: [] };
  // Like the provider server: one deserialized, configured provider per serialized string.
  const providers = new Map<string, DynamicProviderStub>();
  const config = { get: (key: string) => stackConfig[key] };
  // The engine starts the provider in the user's project folder; this is such a folder.
  const projectFile = path.join(installedPackageProject(), "index.js");
  await pulumi.runtime.setMocks(
    {
      async newResource(args) {
        const inputs = unwrapSecrets(args.inputs) as Record<string, unknown>;
        // Other providers echo their inputs, secrets kept secret (as the Kubernetes provider does).
        let state: Record<string, unknown> = args.inputs;
        let id = `${args.name}-id`;
        const serialized = inputs.__provider;
        if (args.type.startsWith("pulumi-nodejs:dynamic/") && typeof serialized === "string") {
          seen.providers.push(serialized);
          let provider = providers.get(serialized);
          if (!provider) {
            provider = requireFromString(serialized, projectFile).handler();
            providers.set(serialized, provider);
            await provider.configure?.({ config });
          }
          const checked = provider.check ? await provider.check({}, inputs) : { inputs };
          if (checked.failures?.length) {
            throw new Error(
              `${args.name}: check failed: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`,
            );
          }
          const created = await provider.create({ ...(checked.inputs ?? inputs), __provider: serialized });
          id = created.id;
          state = { ...(created.outs ?? {}), __provider: serialized };
        }
        seen.registered.push({ type: args.type, name: args.name, inputs, state, provider: args.provider });
        return { id, state };
      },
      call(args) {
        return args.inputs;
      },
    },
    "alation-test",
    "test",
    options.preview ?? false,
  );
  return seen;
}

/** Resolves an Output's value and whether it is secret (mocks do not apply additionalSecretOutputs). */
export async function settle<T>(output: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
  // Output's internal promises are the documented way tests read them under mocks.
  const internal = output as unknown as { promise(): Promise<T>; isSecret: Promise<boolean> };
  return { value: await internal.promise(), secret: await internal.isSecret };
}
