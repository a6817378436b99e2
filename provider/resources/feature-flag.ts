// FeatureFlag: one tenant configuration value (`alation_conf KEY -s VALUE`), e.g. the JWT flag of the connector guide.
import * as pulumi from "@pulumi/pulumi";
import type { AlationShell } from "./alation-shell";
import { AlationDynamicResource } from "./dynamic-resource";
import { dynamicResourceOptions } from "./resource-options";
import { withSecretFields } from "./secret-inputs";
import { SHELL_CREDENTIAL_FIELDS } from "../domain/credential-fields";

/** The arguments of a FeatureFlag. */
export interface FeatureFlagArgs {
  /** How to reach the tenant's shell, where `alation_conf` runs. */
  shell: AlationShell;
  /**
   * The configuration key, e.g. `alation.feature_flags.enable_jwt_in_v1_oauth_stack` (dot-separated letters,
   * digits, `_` and `-`). Changing it replaces the resource.
   */
  key: pulumi.Input<string>;
  /**
   * The value the key must hold: a boolean (written `True`/`False`), a number, or a one-line string. Some settings
   * take effect only after `alation_supervisor restart web:*` on the tenant.
   */
  value: pulumi.Input<boolean | number | string>;
  /** On delete, put back the value found when the resource was created. Default true. */
  restoreOnDelete?: pulumi.Input<boolean>;
}

/**
 * A configuration value of an Alation tenant, held through `alation_conf` in the tenant's shell. `pulumi refresh`
 * reports a value changed behind Pulumi's back; deleting puts back the value found at creation
 * (`restoreOnDelete`). Type `pulumi-nodejs:dynamic/alation:FeatureFlag`.
 */
export class FeatureFlag extends AlationDynamicResource {
  /** The configuration key. */
  public readonly key!: pulumi.Output<string>;
  /** The value the key holds (after a refresh: the value found on the tenant). */
  public readonly value!: pulumi.Output<boolean | number | string>;
  /**
   * The value found before the resource first set it, read as the type of `value` when it reads as one;
   * undefined when `alation_conf` printed none.
   */
  public readonly previousValue!: pulumi.Output<boolean | number | string | undefined>;
  /** Whether deleting puts `previousValue` back. */
  public readonly restoreOnDelete!: pulumi.Output<boolean>;

  constructor(name: string, args: FeatureFlagArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      shell: withSecretFields(args.shell, SHELL_CREDENTIAL_FIELDS),
      key: args.key,
      value: args.value,
      restoreOnDelete: args.restoreOnDelete,
      // Outputs only.
      previousValue: undefined,
    };
    // The shell settings stay in state (read and delete need them); kept secret as a whole there.
    const options = dynamicResourceOptions(
      `FeatureFlag "${name}"`,
      opts,
      ["shell"],
      "A FeatureFlag needs no import: created, it records the value it finds and puts it back when deleted.",
    );
    super("featureFlag", "FeatureFlag", name, props, options);
  }
}
