// What the engine would send Pulumi's provider server for the resources the benchmark drives: their inputs with
// `__provider`, built under Pulumi's mocks from the library's own classes.
import * as pulumi from "@pulumi/pulumi";
import { AlationClaudeConnector, FeatureFlag, OAuthApplication } from "../provider";
import { ADMIN_TOKEN, JWT_FLAG } from "../tests/support/test-tenant";
import { serializeResource, type SerializedResource } from "../tests/support/serialized-provider";
import { CLAUDE_REDIRECT_URIS } from "../tests/support/provider-harness";

export type Props = Record<string, unknown>;

/** An OAuthApplication reaching `tenantUrl` over REST with the admin token (or `credentials`, when given). */
export function oauthApplication(
  tenantUrl: string,
  credentials: Props = { apiAccessToken: ADMIN_TOKEN },
  name = "claude",
): Promise<SerializedResource> {
  return serializeResource(
    () =>
      new OAuthApplication(name, {
        connection: { baseUrl: tenantUrl, ...credentials },
        redirectUris: CLAUDE_REDIRECT_URIS,
      }),
  );
}

/** The JWT flag through the local shell (the emulator's alation_conf on PATH): the smallest shell settings. */
export function featureFlag(): Promise<SerializedResource> {
  return serializeResource(() => new FeatureFlag("jwt-flag", { shell: { local: {} }, key: JWT_FLAG, value: true }));
}

/** The OAuth application of a REST-only AlationClaudeConnector on `tenantUrl`, as a user's program declares it. */
export function connectorApplication(tenantUrl: string): Promise<SerializedResource> {
  return serializeResource(
    () =>
      new AlationClaudeConnector("connector", { connection: { baseUrl: tenantUrl, apiAccessToken: ADMIN_TOKEN } })
        .application,
  );
}

/**
 * The baseline of the cold start: a dynamic resource whose provider does nothing but answer check. It measures
 * Pulumi's own server, and what the library adds is the difference.
 */
export function baselineResource(): Promise<SerializedResource> {
  const provider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: Props, news: Props) {
      return { inputs: news };
    },
    async create() {
      return { id: "baseline" };
    },
  };
  return serializeResource(() => new BaselineResource(provider));
}

class BaselineResource extends pulumi.dynamic.Resource {
  constructor(provider: pulumi.dynamic.ResourceProvider) {
    super(provider, "baseline", { value: 1 }, {}, "bench", "Baseline");
  }
}
