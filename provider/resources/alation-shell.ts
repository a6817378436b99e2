// PLACEHOLDER (owned by the shell helper): the public AlationShell input type (kubernetes | ssh | local).
import * as pulumi from "@pulumi/pulumi";

/** How to reach the tenant's shell. Exactly one of the three. */
export interface AlationShell {
  kubernetes?: pulumi.Input<Record<string, unknown>>;
  ssh?: pulumi.Input<Record<string, unknown>>;
  local?: pulumi.Input<Record<string, never>>;
}
