// What this package's dynamic resources share: each registers as `alation:<Type>` with the tiny stub of its runtime
// kind (provider-stub.ts), and without the stack traces Pulumi's SDK would collect meanwhile (debug-stacks.ts).
import * as pulumi from "@pulumi/pulumi";
import { pauseStackTraces } from "./debug-stacks";
import { dynamicProviderStub, type RuntimeKind } from "./provider-stub";

/** The base of OAuthApplication and FeatureFlag. */
export abstract class AlationDynamicResource extends pulumi.dynamic.Resource {
  protected constructor(
    kind: RuntimeKind,
    type: string,
    name: string,
    props: pulumi.Inputs,
    options: pulumi.CustomResourceOptions,
  ) {
    const resumeStackTraces = pauseStackTraces();
    try {
      super(dynamicProviderStub(kind), name, props, options, "alation", type);
    } finally {
      resumeStackTraces();
    }
  }
}
