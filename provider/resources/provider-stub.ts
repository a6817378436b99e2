// The tiny dynamic provider each resource serializes into `__provider`. It captures nothing but the kind: no
// client, no schema, no secret, no file path. Pulumi's closure serializer leaves `require` as a free variable
// (runtime/closure/parseFunction.js: nodeModuleGlobals), so `require("pulumi-alation/runtime")` is resolved when
// Pulumi's provider process runs it, from the user's project where the package is installed; the implementation
// can change without replacing resources.
//
// Only `configure` is serialized: the provider server deserializes the stub once per process and calls its
// `configure` before any other method, and `configure` then binds check/diff/create/read/update/delete to the
// runtime's. One serialized function is about 600 bytes; one-line forwarding methods for all seven would be about
// 2.3 KB, since the serializer wraps every function in ~250 bytes of scaffolding.
import type * as pulumi from "@pulumi/pulumi";

/** The runtime objects a stub can forward to (`require("pulumi-alation/runtime")[kind]`). */
export type RuntimeKind = "oauthApplication" | "featureFlag";

const stubs = new Map<RuntimeKind, pulumi.dynamic.ResourceProvider>();

/** The stub for `kind`; one object per kind, so that Pulumi serializes it once per program. */
export function dynamicProviderStub(kind: RuntimeKind): pulumi.dynamic.ResourceProvider {
  let stub = stubs.get(kind);
  if (!stub) {
    stub = makeStub(kind);
    stubs.set(kind, stub);
  }
  return stub;
}

function makeStub(kind: RuntimeKind): pulumi.dynamic.ResourceProvider {
  const stub = {
    configure(this: Record<string, unknown>, req: pulumi.dynamic.ConfigureRequest): Promise<void> {
      const runtime = require("pulumi-alation/runtime");
      const implementation = runtime[kind];
      for (const method of Object.keys(implementation)) {
        this[method] = (...args: unknown[]) => implementation[method](...args);
      }
      return runtime.configure(req);
    },
  };
  // The other methods appear when `configure` runs, which Pulumi's provider server always does first.
  return stub as unknown as pulumi.dynamic.ResourceProvider;
}
