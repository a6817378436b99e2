// The children of the components that the plugin constructs: its own custom resources `alation:index:OAuthApplication`
// and `alation:index:FeatureFlag` (not dynamic resources, whose provider would have to load pulumi-alation from the
// program's folder: a Python or YAML project has none). The engine sends their operations back to this plugin.
import * as pulumi from "@pulumi/pulumi";
import type { ConnectorChildren } from "../component/connector-base";
import { APPLICATION_FIELDS } from "../domain/application-store";
import { CONNECTION_CREDENTIAL_FIELDS, SHELL_CREDENTIAL_FIELDS } from "../domain/credential-fields";
import type { FeatureFlagArgs } from "../resources/feature-flag";
import type { OAuthApplicationArgs } from "../resources/oauth-application";
import { withSecretFields } from "../resources/secret-inputs";
import { tokenOf } from "./schema-types";

/** Output keys, each undefined: a CustomResource exposes the outputs its properties name. */
const outputsOnly = (keys: readonly string[]) => Object.fromEntries(keys.map((key) => [key, undefined]));

/** `alation:index:OAuthApplication`, registered from inside the plugin (a component's application). */
class PluginOAuthApplication extends pulumi.CustomResource {
  constructor(name: string, args: OAuthApplicationArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      ...outputsOnly([...APPLICATION_FIELDS, "clientId", "clientSecret", "notEnforced"]),
      ...args,
      connection: withSecretFields(args.connection, CONNECTION_CREDENTIAL_FIELDS),
      shell: withSecretFields(args.shell, SHELL_CREDENTIAL_FIELDS),
    };
    const secrets = [...(opts?.additionalSecretOutputs ?? []), "clientSecret"];
    super(tokenOf("OAuthApplication"), name, props, { ...opts, additionalSecretOutputs: secrets });
  }
}

/** `alation:index:FeatureFlag`, registered from inside the plugin (a component's JWT flag). */
class PluginFeatureFlag extends pulumi.CustomResource {
  constructor(name: string, args: FeatureFlagArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      ...outputsOnly(["previousValue"]),
      ...args,
      shell: withSecretFields(args.shell, SHELL_CREDENTIAL_FIELDS),
    };
    // Delete before replace, as the dynamic FeatureFlag does: a new one created first would take its own value
    // for the value to put back.
    super(tokenOf("FeatureFlag"), name, props, { deleteBeforeReplace: true, ...opts });
  }
}

/** The plugin's children, for useConnectorChildren (their members are the dynamic resources' outputs). */
export const PLUGIN_CHILDREN = {
  OAuthApplication: PluginOAuthApplication,
  FeatureFlag: PluginFeatureFlag,
} as unknown as ConnectorChildren;
