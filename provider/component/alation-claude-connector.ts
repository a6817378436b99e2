import * as pulumi from "@pulumi/pulumi";
import { FeatureFlag } from "../resources/feature-flag";
import { AlationConnection, OAuthApplication } from "../resources/oauth-application";
import type { AlationShell } from "../resources/alation-shell";
import {
  CLAUDE_REDIRECT_URIS,
  DEFAULT_CALLBACK_PORT,
  JWT_FEATURE_FLAG,
  loopbackRedirectUri,
} from "../domain/claude-connector";
import { CONNECTION_KEYS } from "../domain/connection-keys";
import { tenantUrlProblem } from "../domain/urls";
import { requireOptionalPeer } from "../peers/optional";
/** The application name the connector guide uses. */
export const DEFAULT_APPLICATION_NAME = "alation-ai-hosted-mcp-server";

/** Where to publish the connector's fields as a Kubernetes Secret. */
export interface ConnectorKubernetesSecret {
  /** Namespace of the Secret. */
  namespace: pulumi.Input<string>;
  /** Name of the Secret. */
  name: pulumi.Input<string>;
  /** The Kubernetes provider to create it with (default: the ambient one). */
  provider?: pulumi.ProviderResource;
}

export interface AlationClaudeConnectorArgs {
  /**
   * How to reach the tenant's REST admin API (it exists only on cloud-native Alation Cloud, as does the hosted MCP
   * server). Missing pieces come from stack config `alation:*`, then `ALATION_*`.
   */
  connection?: AlationConnection;
  /**
   * How to reach the tenant's pod or host, for the connector guide's "contact Alation Engineers" step: Alation's own
   * people, or a support session in the tenant's pod, run it. The JWT feature flag is set through `alation_conf`, and,
   * when no `connection` is given, the OAuth application is managed through `alation_django_shell` (every field
   * enforced).
   */
  shell?: AlationShell;
  /**
   * The tenant's URL, `https://TENANT`. Default: `connection.baseUrl`, then where `connection` finds its baseUrl
   * (stack config, then the environment). Needed with `shell` alone, for the MCP URL and the default redirect URI.
   */
  tenantUrl?: pulumi.Input<string>;
  /** Connector Name in Claude's form. Default "Alation". */
  connectorName?: pulumi.Input<string>;
  /** Name of the OAuth application in Alation. Default `alation-ai-hosted-mcp-server` (the guide's). */
  applicationName?: pulumi.Input<string>;
  /**
   * Set the tenant flag `alation.feature_flags.enable_jwt_in_v1_oauth_stack` to True through the shell, as step 1
   * of Alation's connector guide of 2025-12-10 does: on tenants that need it, the v1 OAuth stack issues the JWT access
   * tokens the hosted MCP server requires only while it is True. Alation's API guide of 2025-12-15 and its current
   * docs no longer set it (../shared/alation-api.md section 1): a tenant that issues JWTs without it needs no flag
   * (`alation-connector verify` tells: its access-token-jwt step). Default: true when `shell` is given; needs `shell`
   * (the flag has no REST API).
   */
  manageJwtFeatureFlag?: boolean;
  /** Redirect URIs. Default: `https://TENANT/oauth/callback` and Claude's two callbacks (Claude needs them). */
  redirectUris?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * A custom MCP server of the tenant, served at `https://TENANT/ai/mcp/<mcpServerId>/` (../shared/alation-api.md
   * section 4): `remoteMcpServerUrl` is then that URL. Default: the hosted MCP server, `https://TENANT/ai/mcp/`.
   */
  mcpServerId?: pulumi.Input<string>;
  /** Redirect URIs added to `redirectUris` (or to the default list). */
  extraRedirectUris?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Also register `http://127.0.0.1:38271/callback` (or the given `callbackPort`), the loopback redirect URI on
   * which `alation-connector verify --login` receives the code, so that an admin can prove the connector end to
   * end through a browser before anyone clicks Connect. Off by default.
   *
   * Safe, as RFC 8252 (OAuth for native apps) argues for loopback redirects (sections 7.3 and 8.3): a browser
   * delivers the code only to a listener on the machine where the user logs in, never across the network, and
   * the code is worthless without the PKCE verifier and the client secret, which stay with the verifier. Alation
   * allows http redirect URIs for loopback hosts only.
   */
  verifierLogin?: boolean | { callbackPort: number };
  /** Access token lifetime in seconds (3600 to 259200). Default 86400 (1 day). */
  accessTokenExpiry?: pulumi.Input<number>;
  /** Refresh token lifetime in seconds (259200 to 15552000). Default 15552000 (180 days). */
  refreshTokenExpiry?: pulumi.Input<number>;
  /** Any string; changing it rotates the client secret. */
  secretVersion?: pulumi.Input<string>;
  /** Take over an existing application (its secret is rotated) instead of creating one. */
  adoptClientId?: pulumi.Input<string>;
  /** Also publish the connector's fields as a Kubernetes Secret (needs @pulumi/kubernetes). */
  kubernetesSecret?: ConnectorKubernetesSecret;
}

/**
 * One tenant's Claude connector: the JWT feature flag (when managed), the OAuth application, and outputs that are
 * exactly the four fields of Claude's "Add custom connector" form.
 */
export class AlationClaudeConnector extends pulumi.ComponentResource {
  /** Connector Name. */
  public readonly connectorName: pulumi.Output<string>;
  /** Remote MCP server URL: `https://TENANT/ai/mcp/`, or `.../ai/mcp/<mcpServerId>/` (with the trailing slash). */
  public readonly remoteMcpServerUrl: pulumi.Output<string>;
  /** Client ID. */
  public readonly clientId: pulumi.Output<string>;
  /** Client Secret (a Pulumi secret). */
  public readonly clientSecret: pulumi.Output<string>;
  /** The OAuth application. */
  public readonly application: OAuthApplication;
  /** The JWT feature flag, when managed. */
  public readonly featureFlag?: FeatureFlag;
  /** The Kubernetes Secret holding the fields, when asked for. */
  public readonly kubernetesSecret?: pulumi.CustomResource;

  constructor(name: string, args: AlationClaudeConnectorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("alation:index:AlationClaudeConnector", name, {}, opts);
    const manageFlag = args.manageJwtFeatureFlag ?? args.shell !== undefined;
    if (manageFlag && args.shell === undefined) {
      throw new Error(`AlationClaudeConnector ${name}: manageJwtFeatureFlag needs shell (the flag has no REST API)`);
    }
    // Before any child is registered: a missing optional package fails the program with nothing half made.
    const kubernetes = args.kubernetesSecret ? requireKubernetesSdk(name) : undefined;
    const tenantOrigin = tenantOriginOf(this, name, args);

    this.featureFlag = manageFlag
      ? new FeatureFlag(
          `${name}-jwt-flag`,
          { shell: args.shell!, key: JWT_FEATURE_FLAG, value: true },
          { parent: this },
        )
      : undefined;

    const login = args.verifierLogin;
    const callbackPort = login === true ? DEFAULT_CALLBACK_PORT : login ? login.callbackPort : undefined;
    if (callbackPort !== undefined && !(Number.isInteger(callbackPort) && callbackPort >= 1 && callbackPort <= 65535)) {
      throw new Error(
        `AlationClaudeConnector ${name}: verifierLogin.callbackPort must be a whole number from 1 to 65535`,
      );
    }
    const verifierRedirectUris = callbackPort !== undefined ? [loopbackRedirectUri(callbackPort)] : [];
    const redirectUris = pulumi
      .all([args.redirectUris ?? tenantOrigin.apply(defaultRedirectUris), args.extraRedirectUris ?? []])
      .apply(([base, extra]) => [...new Set([...base, ...extra, ...verifierRedirectUris])]);

    this.application = new OAuthApplication(
      `${name}-application`,
      {
        // REST when a connection is given; else the shell when given; else REST configured by stack config/env.
        connection: args.connection,
        shell: args.connection === undefined ? args.shell : undefined,
        name: args.applicationName ?? DEFAULT_APPLICATION_NAME,
        redirectUris,
        accessTokenExpiry: args.accessTokenExpiry,
        refreshTokenExpiry: args.refreshTokenExpiry,
        secretVersion: args.secretVersion,
        adoptClientId: args.adoptClientId,
      },
      { parent: this, dependsOn: this.featureFlag ? [this.featureFlag] : [] },
    );

    this.connectorName = pulumi.output(args.connectorName ?? "Alation");
    // Without a valid origin the application's check has failed, naming connection.baseUrl: then this output waits
    // on the application, which never comes, instead of failing a second time with the same cause.
    this.remoteMcpServerUrl = pulumi
      .all([tenantOrigin, args.mcpServerId])
      .apply(([origin, serverId]) =>
        origin ? pulumi.output(mcpServerUrlOf(name, origin, serverId)) : this.application.clientId.apply(() => ""),
      );
    this.clientId = this.application.clientId;
    // Mocks (and some engines' component paths) do not apply additionalSecretOutputs: wrap explicitly.
    this.clientSecret = pulumi.secret(this.application.clientSecret);

    if (args.kubernetesSecret && kubernetes) {
      this.kubernetesSecret = this.publishKubernetesSecret(name, args.kubernetesSecret, kubernetes);
    }

    this.registerOutputs({
      connectorName: this.connectorName,
      remoteMcpServerUrl: this.remoteMcpServerUrl,
      clientId: this.clientId,
      clientSecret: this.clientSecret,
    });
  }

  private publishKubernetesSecret(
    name: string,
    target: ConnectorKubernetesSecret,
    k8s: KubernetesSdk,
  ): pulumi.CustomResource {
    return new k8s.core.v1.Secret(
      `${name}-connector-secret`,
      {
        metadata: { namespace: target.namespace, name: target.name },
        type: "Opaque",
        stringData: pulumi.secret({
          connectorName: this.connectorName,
          remoteMcpServerUrl: this.remoteMcpServerUrl,
          clientId: this.clientId,
          clientSecret: this.clientSecret,
        }),
      },
      { parent: this, provider: target.provider },
    );
  }
}

type KubernetesSdk = typeof import("@pulumi/kubernetes");

/** @pulumi/kubernetes, an optional peer dependency: loaded only when a Kubernetes Secret is asked for. */
function requireKubernetesSdk(name: string): KubernetesSdk {
  return requireOptionalPeer<KubernetesSdk>("@pulumi/kubernetes", `AlationClaudeConnector ${name}: kubernetesSecret`);
}

/** The field the tenant URL comes from (named in errors, as the user wrote it), and its value. */
interface TenantUrlSource {
  field: string;
  value: pulumi.Input<string> | undefined;
  /** tenantUrl may carry a path (only its origin is used); a base URL may not. */
  pathAllowed: boolean;
}

/** Where the tenant URL may come from, in order: the first one set is used (as the runtime does for baseUrl). */
function tenantUrlSources(args: AlationClaudeConnectorArgs): TenantUrlSource[] {
  const { config, env } = CONNECTION_KEYS.baseUrl;
  const [namespace, key] = config.split(":");
  return [
    { field: "tenantUrl", value: args.tenantUrl, pathAllowed: true },
    { field: "connection.baseUrl", value: args.connection?.baseUrl, pathAllowed: false },
    { field: `stack config ${config}`, value: new pulumi.Config(namespace).get(key) || undefined, pathAllowed: false },
    { field: env, value: process.env[env] || undefined, pathAllowed: false },
  ];
}

/**
 * `https://TENANT`, from the first tenant URL set. A value known now (a plain string) is refused now, with the field
 * the user set; so is a missing one. One known later is judged then: connection.baseUrl by the application's check
 * (the origin is then undefined, and nothing derived from it is reported again); tenantUrl here, once.
 */
function tenantOriginOf(
  component: pulumi.Resource,
  name: string,
  args: AlationClaudeConnectorArgs,
): pulumi.Output<string | undefined> {
  const sources = tenantUrlSources(args);
  // A ResourceError without its stack: the message says all, and Pulumi shows it once, on the component.
  const refuse = (problem: string) =>
    new pulumi.ResourceError(`AlationClaudeConnector ${name}: ${problem}`, component, true);
  const { config, env } = CONNECTION_KEYS.baseUrl;
  const missing = () =>
    refuse(`no tenant URL: set connection.baseUrl or tenantUrl (https://TENANT), stack config ${config} or ${env}`);
  const chosen = sources.find((source) => source.value !== undefined);
  if (!chosen) throw missing();
  // connection.baseUrl is judged even when tenantUrl is the one used: the application uses it.
  for (const source of new Set([chosen, sources[1]])) {
    const problem = typeof source.value === "string" ? tenantUrlProblem(source.value, source.field, source) : undefined;
    if (problem) throw refuse(problem);
  }
  const fallback = sources.slice(2).find((source) => source.value !== undefined);
  return pulumi.output(chosen.value).apply((value) => {
    // An Output that resolves to nothing leaves the choice to the sources after it, as the runtime does.
    const source = value ? { ...chosen, value } : fallback;
    if (!source || typeof source.value !== "string") throw missing();
    const problem = tenantUrlProblem(source.value, source.field, source);
    if (!problem) return new URL(source.value).origin;
    if (source.field === "connection.baseUrl") return undefined;
    throw refuse(problem);
  });
}

/** The MCP URL Claude is given: the hosted server's, or a custom server's; always with its trailing slash. */
export function mcpServerUrlOf(name: string, origin: string, serverId: string | undefined): string {
  if (serverId === undefined) return `${origin}/ai/mcp/`;
  // One path segment of URL-safe characters: anything else would name another path or need escaping in Claude's form.
  if (!/^[A-Za-z0-9._~-]+$/.test(serverId) || serverId === "." || serverId === "..") {
    throw new Error(
      `AlationClaudeConnector ${name}: mcpServerId must be one path segment of letters, digits, ".", "_", "~" or "-" ` +
        `(the <server-id> of https://TENANT/ai/mcp/<server-id>/), got ${JSON.stringify(serverId)}`,
    );
  }
  return `${origin}/ai/mcp/${serverId}/`;
}

function defaultRedirectUris(origin: string | undefined): string[] {
  return origin ? [`${origin}/oauth/callback`, ...CLAUDE_REDIRECT_URIS] : [...CLAUDE_REDIRECT_URIS];
}
