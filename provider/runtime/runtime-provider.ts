// The one shape of the runtime's providers (oauthApplication, featureFlag): every method of Pulumi's dynamic
// ResourceProvider but `configure`, which the stub serialized into `__provider` supplies (resources/provider-stub.ts);
// it binds each of these methods when Pulumi's provider server configures it.
import type * as pulumi from "@pulumi/pulumi";

/** A runtime provider: check, diff, create, read, update and delete, each implemented. */
export type RuntimeProvider = Required<Omit<pulumi.dynamic.ResourceProvider, "configure">>;

/** Properties as the dynamic-provider server passes them. */
export type Props = Record<string, unknown>;
