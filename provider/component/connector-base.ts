// What every connector component is made of, whatever its client: the JWT feature flag (when managed), one OAuth
// application with the client's callbacks, the four fields every client is given, and the optional Kubernetes
// Secret. AlationClaudeConnector and AlationMcpConnector differ only in their type, their callbacks and what else
// they output; their children are named alike (`NAME-jwt-flag`, `NAME-application`, `NAME-connector-secret`).
import * as pulumi from "@pulumi/pulumi";
import { FeatureFlag, type FeatureFlagArgs } from "../resources/feature-flag";
import { AlationConnection, OAuthApplication, type OAuthApplicationArgs } from "../resources/oauth-application";
import type { AlationShell } from "../resources/alation-shell";
import { pauseStackTraces } from "../resources/debug-stacks";
import { JWT_FEATURE_FLAG } from "../domain/claude-connector";
import { requireOptionalPeer } from "../peers/optional";
import { connectorNameProblem, extraRedirectUriProblems, judgeConnectorOptions } from "./connector-options";
import { mcpServerIdProblem, mcpServerUrlOf, tenantOriginOf } from "./tenant-origin";

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

/** The arguments every connector takes. */
export interface ConnectorArgs {
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
  /** Connector Name in Claude's form (and the name other clients show). Default "Alation". */
  connectorName?: pulumi.Input<string>;
  /**
   * Name of the OAuth application in Alation. Default: `alation-ai-hosted-mcp-server-<suffix>`, the suffix made from
   * the stack and the resource, so that no application made by hand or by another stack is ever taken for this
   * one. A name given here that meets an application this stack did not make fails, naming `adoptClientId`.
   * A stack keeps the name it recorded first (stacks made before the suffix keep `alation-ai-hosted-mcp-server`).
   */
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
  /**
   * A custom MCP server of the tenant, served at `https://TENANT/ai/mcp/<mcpServerId>/` (../shared/alation-api.md
   * section 4): `remoteMcpServerUrl` is then that URL. Default: the hosted MCP server, `https://TENANT/ai/mcp/`.
   */
  mcpServerId?: pulumi.Input<string>;
  /** Redirect URIs added to the client's. */
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
  /** Also publish the connector's four fields as a Kubernetes Secret (needs @pulumi/kubernetes). */
  kubernetesSecret?: ConnectorKubernetesSecret;
}

/** What a connector component is: its type, the name its messages use, and its client's callbacks. */
export interface ConnectorKind {
  /** The component's type token. */
  type: string;
  /** The class's name, which starts its messages. */
  className: string;
  /** The start of the application's default name (its suffix is the stack's and the resource's). */
  applicationName: string;
  /** The client's redirect URIs (the application's before the extras and the verifier's), from the tenant. */
  callbacks(
    component: pulumi.Resource,
    origin: pulumi.Output<string | undefined>,
  ): pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * The classes a connector's children are made of: the dynamic resources, in a program; in the provider plugin's
 * process, the plugin's own custom resources (provider/plugin/children.ts), which the plugin serves itself.
 */
export interface ConnectorChildren {
  OAuthApplication: new (
    name: string,
    args: OAuthApplicationArgs,
    opts?: pulumi.CustomResourceOptions,
  ) => OAuthApplication;
  FeatureFlag: new (name: string, args: FeatureFlagArgs, opts?: pulumi.CustomResourceOptions) => FeatureFlag;
}

let children: ConnectorChildren = { OAuthApplication, FeatureFlag };

/** Makes every connector's children of these classes from now on (the provider plugin, once, when it starts). */
export function useConnectorChildren(classes: ConnectorChildren): void {
  children = classes;
}

/** One tenant's connector for one MCP client: the flag, the application, and the four fields. */
export abstract class ConnectorComponent extends pulumi.ComponentResource {
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
  /** `https://TENANT`, or undefined when connection.baseUrl is invalid (its check reports it). */
  protected readonly tenantOrigin: pulumi.Output<string | undefined>;

  protected constructor(
    kind: ConnectorKind,
    name: string,
    args: ConnectorArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    const label = `${kind.className} ${name}`;
    // Before anything is registered, the component included: a bad option leaves nothing half made.
    const verifierRedirectUris = judgeConnectorOptions(label, args);
    const manageFlag = args.manageJwtFeatureFlag ?? args.shell !== undefined;
    const resumeStackTraces = pauseStackTraces();
    try {
      super(kind.type, name, {}, opts);
    } finally {
      resumeStackTraces();
    }
    // Before any child is registered: a missing optional package fails the program with nothing half made.
    const kubernetes = args.kubernetesSecret ? requireKubernetesSdk(label) : undefined;
    this.tenantOrigin = tenantOriginOf(this, label, args);
    // Options known only later are judged before the application, which waits on them, is registered.
    const connectorName = judgedWhenKnown(this, label, args.connectorName ?? "Alation", connectorNameProblem);
    const mcpServerId = judgedWhenKnown(this, label, args.mcpServerId, (id) =>
      id === undefined ? undefined : mcpServerIdProblem(id),
    );

    this.featureFlag = manageFlag ? jwtFeatureFlag(this, name, args.shell!) : undefined;
    const redirectUris = pulumi
      .all([kind.callbacks(this, this.tenantOrigin), args.extraRedirectUris ?? [], mcpServerId, connectorName])
      .apply(([base, extra]) => {
        // Extras known only now are judged here, naming extraRedirectUris[i], before the application is registered.
        const problems = extraRedirectUriProblems(extra);
        if (problems.length > 0) throw new pulumi.ResourceError(`${label}: ${problems.join("; ")}`, this, true);
        return [...new Set([...base, ...extra, ...verifierRedirectUris])];
      });
    this.application = new children.OAuthApplication(
      `${name}-application`,
      {
        // REST when a connection is given; else the shell when given; else REST configured by stack config/env.
        connection: args.connection,
        shell: args.connection === undefined ? args.shell : undefined,
        name: args.applicationName,
        namePrefix: kind.applicationName,
        redirectUris,
        accessTokenExpiry: args.accessTokenExpiry,
        refreshTokenExpiry: args.refreshTokenExpiry,
        secretVersion: args.secretVersion,
        adoptClientId: args.adoptClientId,
      },
      { parent: this, dependsOn: this.featureFlag ? [this.featureFlag] : [] },
    );

    this.connectorName = connectorName;
    // Without a valid origin the application's check has failed, naming connection.baseUrl: then this output waits
    // on the application, which never comes, instead of failing a second time with the same cause.
    this.remoteMcpServerUrl = pulumi
      .all([this.tenantOrigin, mcpServerId])
      .apply(([origin, serverId]) =>
        origin ? pulumi.output(mcpServerUrlOf(origin, serverId)) : this.application.clientId.apply(() => ""),
      );
    this.clientId = this.application.clientId;
    // Mocks (and some engines' component paths) do not apply additionalSecretOutputs: wrap explicitly.
    this.clientSecret = pulumi.secret(this.application.clientSecret);

    if (args.kubernetesSecret && kubernetes) {
      this.kubernetesSecret = this.publishKubernetesSecret(name, args.kubernetesSecret, kubernetes);
    }
  }

  /**
   * Registers the component's outputs without the SDK's stack trace per promise, as its super() registers it and the
   * resources register themselves (debug-stacks.ts): those traces were a share of the program's CPU per connector.
   */
  protected override registerOutputs(
    outputs?: pulumi.Inputs | Promise<pulumi.Inputs> | pulumi.Output<pulumi.Inputs>,
  ): void {
    const resumeStackTraces = pauseStackTraces();
    try {
      super.registerOutputs(outputs);
    } finally {
      resumeStackTraces();
    }
  }

  /** The four fields of a connector, as its outputs. */
  fields(): Record<string, pulumi.Output<string>> {
    return {
      connectorName: this.connectorName,
      remoteMcpServerUrl: this.remoteMcpServerUrl,
      clientId: this.clientId,
      clientSecret: this.clientSecret,
    };
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
        stringData: pulumi.secret(this.fields()),
      },
      { parent: this, provider: target.provider },
    );
  }
}

/**
 * An option known only later, judged once known: a problem fails the Output (and whatever waits on it, registered
 * after it) with one message naming the option, on the component.
 */
function judgedWhenKnown<T extends string | undefined>(
  component: pulumi.Resource,
  label: string,
  value: pulumi.Input<T>,
  problemOf: (value: T) => string | undefined,
): pulumi.Output<T> {
  return pulumi.output(value as pulumi.Input<string | undefined>).apply((known) => {
    const problem = problemOf(known as T);
    if (problem) throw new pulumi.ResourceError(`${label}: ${problem}`, component, true);
    return known as T;
  }) as pulumi.Output<T>;
}

/** The tenant's JWT feature flag, set to True through the shell (a child of the connector). */
function jwtFeatureFlag(parent: pulumi.Resource, name: string, shell: AlationShell): FeatureFlag {
  return new children.FeatureFlag(`${name}-jwt-flag`, { shell, key: JWT_FEATURE_FLAG, value: true }, { parent });
}

type KubernetesSdk = typeof import("@pulumi/kubernetes");

/** @pulumi/kubernetes, an optional peer dependency: loaded only when a Kubernetes Secret is asked for. */
function requireKubernetesSdk(label: string): KubernetesSdk {
  return requireOptionalPeer<KubernetesSdk>("@pulumi/kubernetes", `${label}: kubernetesSecret`);
}
