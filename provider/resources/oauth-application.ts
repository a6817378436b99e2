// OAuthApplication: one OAuth client application of an Alation tenant (e.g. the one Claude's connector uses).
import * as pulumi from "@pulumi/pulumi";
import type { AlationShell } from "./alation-shell";
import { AlationDynamicResource } from "./dynamic-resource";
import { dynamicResourceOptions } from "./resource-options";
import { withSecretFields } from "./secret-inputs";
import { CONNECTION_CREDENTIAL_FIELDS, SHELL_CREDENTIAL_FIELDS } from "../domain/credential-fields";
import { autoNameOf, type AutoNameSeed } from "../domain/application-names";
import { APPLICATION_FIELDS } from "../domain/application-store";
import { misspeltConfigKeyProblems } from "../domain/connection-keys";

/** The stack's organization; none where the engine names none (mocks without one throw). */
function organizationOrNone(): string {
  try {
    return pulumi.getOrganization();
  } catch {
    return "";
  }
}

/** Where a resource lives, for its default name. */
function autoNameSeed(resource: string): AutoNameSeed {
  return {
    organization: organizationOrNone(),
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
    resource,
  };
}

/**
 * How to reach a tenant's REST admin API (as a Server Admin). The OAuth client admin API exists only on cloud-native
 * Alation Cloud (../shared/alation-api.md section 2). Every field may be left out: missing pieces come from stack
 * config `alation:*`, then from the environment `ALATION_*`, when an operation runs (the README's "Authenticating to
 * Alation" names each key; provider/domain/connection-keys.ts holds them). Give at most one way to authenticate.
 * Credentials are stored as Pulumi secrets; changing only a credential or a timeout changes nothing in the tenant.
 */
export interface AlationConnection {
  /** The tenant, `https://TENANT` (no path). `http://` only for localhost, 127.0.0.1 or [::1]. */
  baseUrl?: pulumi.Input<string>;
  /** An API access token (sent as header `TOKEN`). */
  apiAccessToken?: pulumi.Input<string>;
  /** A refresh token, exchanged with `userId` for an API access token. */
  refreshToken?: pulumi.Input<string>;
  /** The id of the Alation user the refresh token belongs to. */
  userId?: pulumi.Input<number>;
  /**
   * A service account's client credentials (a bearer JWT from `/oauth/v2/token/`). A service account is made in
   * Alation at `/admin/auth/`; its system user must be a Server Admin. An OAuth application, such as Claude's, cannot
   * authenticate this way (../shared/alation-api.md section 3).
   */
  clientCredentials?: pulumi.Input<{
    /** The service account's client id. */
    clientId: pulumi.Input<string>;
    /** The service account's client secret. */
    clientSecret: pulumi.Input<string>;
  }>;
  /** PEM certificate(s) to trust for the tenant's TLS, besides Node's default CAs (a private CA, say). */
  caCertificate?: pulumi.Input<string>;
  /** Time limit of one HTTP attempt, in seconds (default 30; retried calls get several attempts). */
  timeoutSeconds?: pulumi.Input<number>;
}

/** The arguments of an OAuthApplication. The defaults are those of Alation's Claude connector guide. */
export interface OAuthApplicationArgs {
  /**
   * The tenant's REST admin API. Give this or `shell`; with neither, stack config and environment are used. (Given
   * as an Output, the whole connection is stored as a secret.)
   */
  connection?: pulumi.Input<AlationConnection>;
  /**
   * The tenant's shell (pod or host), the connector guide's "contact Alation Engineers" step: every field is enforced
   * there, including the ones REST cannot set.
   */
  shell?: AlationShell;
  /**
   * The application's name. Default: `namePrefix` with a suffix made from the stack and the resource
   * (`<namePrefix>-1a2b3c4d`), which no person and no other stack holds. A name given here that meets an existing
   * application this stack did not make fails, naming `adoptClientId`; a name once recorded is kept.
   */
  name?: pulumi.Input<string>;
  /** The start of the default name. Default: the resource name. */
  namePrefix?: string;
  /** `confidential` (default) or `public` (public clients must require PKCE). */
  clientType?: pulumi.Input<"confidential" | "public">;
  /**
   * Where Alation may send users back: absolute, https (http only for loopback), no fragment, no wildcard. May be
   * empty: a client may be created without redirect URIs and get them later.
   */
  redirectUris: pulumi.Input<pulumi.Input<string>[]>;
  /** Access token lifetime in seconds, 3600 to 259200. Default 86400 (1 day). */
  accessTokenExpiry?: pulumi.Input<number>;
  /** Refresh token lifetime in seconds, 259200 to 15552000. Default 15552000 (180 days). */
  refreshTokenExpiry?: pulumi.Input<number>;
  /** Require PKCE. Default true. */
  pkceRequired?: pulumi.Input<boolean>;
  /**
   * Issue JWT access tokens (what Alation's hosted MCP server accepts). Default true. Not settable over REST as far
   * as documented.
   */
  jwtRequired?: pulumi.Input<boolean>;
  /** The application is active. Default true. Not settable over REST as far as documented. */
  isActive?: pulumi.Input<boolean>;
  /** An application internal to Alation. Default false. Not settable over REST as far as documented. */
  internalApplication?: pulumi.Input<boolean>;
  /** Any string; changing it rotates the client secret. */
  secretVersion?: pulumi.Input<string>;
  /** Take over this existing application (its secret is rotated, its fields set) instead of creating one. */
  adoptClientId?: pulumi.Input<string>;
}

/**
 * An OAuth client application of an Alation tenant, managed through the REST admin API or the tenant's shell.
 * Type `pulumi-nodejs:dynamic/alation:OAuthApplication`.
 */
export class OAuthApplication extends AlationDynamicResource {
  /** The application's name. */
  public readonly name!: pulumi.Output<string>;
  /** `confidential` or `public`. */
  public readonly clientType!: pulumi.Output<"confidential" | "public">;
  /** The redirect URIs. */
  public readonly redirectUris!: pulumi.Output<string[]>;
  /** Access token lifetime, in seconds. */
  public readonly accessTokenExpiry!: pulumi.Output<number>;
  /** Refresh token lifetime, in seconds. */
  public readonly refreshTokenExpiry!: pulumi.Output<number>;
  /** Whether PKCE is required. */
  public readonly pkceRequired!: pulumi.Output<boolean>;
  /** Whether access tokens are JWTs (see `notEnforced`). */
  public readonly jwtRequired!: pulumi.Output<boolean>;
  /** Whether the application is active (see `notEnforced`). */
  public readonly isActive!: pulumi.Output<boolean>;
  /** Whether the application is internal (see `notEnforced`). */
  public readonly internalApplication!: pulumi.Output<boolean>;
  /** The secret version last applied. */
  public readonly secretVersion!: pulumi.Output<string | undefined>;
  /** The application taken over, if any. */
  public readonly adoptClientId!: pulumi.Output<string | undefined>;
  /** The client id Alation assigned. */
  public readonly clientId!: pulumi.Output<string>;
  /** The client secret (a Pulumi secret). */
  public readonly clientSecret!: pulumi.Output<string>;
  /** Fields the tenant did not confirm (REST cannot set jwtRequired, isActive, internalApplication as documented). */
  public readonly notEnforced!: pulumi.Output<string[]>;

  constructor(name: string, args: OAuthApplicationArgs, opts?: pulumi.CustomResourceOptions) {
    // At preview, before the generic "no credential" of the first create: a misspelt setting (alation:apiToken).
    const misspelt = misspeltConfigKeyProblems(Object.keys(pulumi.runtime.allConfig()));
    if (misspelt.length > 0) throw new pulumi.RunError(`OAuthApplication ${name}: ${misspelt.join("; ")}`);
    const props = {
      connection: withSecretFields(args.connection, CONNECTION_CREDENTIAL_FIELDS),
      shell: withSecretFields(args.shell, SHELL_CREDENTIAL_FIELDS),
      // Every field of the table, as given (a field these arguments lack fails to compile here).
      ...Object.fromEntries(APPLICATION_FIELDS.map((field) => [field, args[field]])),
      // Always sent: a name given as an Output may still turn out to be undefined.
      autoName: autoNameOf(args.namePrefix ?? name, autoNameSeed(name)),
      secretVersion: args.secretVersion,
      adoptClientId: args.adoptClientId,
      // Outputs only.
      clientId: undefined,
      clientSecret: undefined,
      notEnforced: undefined,
    };
    const options = dynamicResourceOptions(
      `OAuthApplication "${name}"`,
      opts,
      ["clientSecret", "connection", "shell"],
      'To manage an existing application, set adoptClientId: "<its client id>" instead (its secret is then rotated).',
      // Its diff asks for delete-before-replace only where old and new cannot both exist (one name, one tenant).
      { deleteBeforeReplace: false },
    );
    super("oauthApplication", "OAuthApplication", name, props, options);
  }
}
