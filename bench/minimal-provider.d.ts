// The types of minimal-provider.js (plain JavaScript, so that the engine benchmark's programs run it in a bare node).
import * as pulumi from "@pulumi/pulumi";

/** The minimal provider: check, diff, create, read, delete. */
export declare const minimalProvider: pulumi.dynamic.ResourceProvider;

/** What a minimal connector is given. */
export interface MinimalConnectorArgs {
  /** The tenant, `http://127.0.0.1:PORT`. */
  baseUrl: pulumi.Input<string>;
  /** The tenant's admin API token (header TOKEN). */
  token: pulumi.Input<string>;
  /** The application's name (unique in its tenant). */
  name: pulumi.Input<string>;
  redirectUris: pulumi.Input<pulumi.Input<string>[]>;
}

/** One connector's OAuth application through the minimal provider. */
export declare class MinimalConnector extends pulumi.dynamic.Resource {
  constructor(name: string, args: MinimalConnectorArgs, opts?: pulumi.CustomResourceOptions);
}

/** Pulumi's floor for a component: a MinimalConnector under a plain ComponentResource with the four outputs. */
export declare class MinimalComponent extends pulumi.ComponentResource {
  readonly connectorName: pulumi.Output<string>;
  readonly remoteMcpServerUrl: pulumi.Output<string>;
  readonly clientId: pulumi.Output<string>;
  readonly clientSecret: pulumi.Output<string>;
  constructor(name: string, args: MinimalConnectorArgs, opts?: pulumi.ComponentResourceOptions);
}
