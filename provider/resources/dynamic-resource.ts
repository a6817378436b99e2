// What this package's dynamic resources share: each registers as Pulumi's dynamic provider's resource
// (`pulumi-nodejs:dynamic/alation:<Type>`, as pulumi.dynamic.Resource would) with the stub of its runtime kind in
// `__provider` (provider-stub.ts), and without the stack traces Pulumi's SDK would collect meanwhile
// (debug-stacks.ts).
import * as pulumi from "@pulumi/pulumi";
import { pauseStackTraces } from "./debug-stacks";
import { providerStubSource, type RuntimeKind } from "./provider-stub";

/** The base of OAuthApplication and FeatureFlag. */
export abstract class AlationDynamicResource extends pulumi.CustomResource {
  protected constructor(
    kind: RuntimeKind,
    type: string,
    name: string,
    props: pulumi.Inputs,
    options: pulumi.CustomResourceOptions,
  ) {
    const resumeStackTraces = pauseStackTraces();
    try {
      super(`pulumi-nodejs:dynamic/alation:${type}`, name, { ...props, __provider: providerStubSource(kind) }, options);
    } finally {
      resumeStackTraces();
    }
  }
}
