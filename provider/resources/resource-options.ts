// The resource options this package's dynamic resources are registered with, from the user's own.
import type * as pulumi from "@pulumi/pulumi";

/**
 * `opts` with what every resource of this package needs:
 * - `additionalSecretOutputs`: the outputs that hold secrets, besides the user's;
 * - `deleteBeforeReplace` true (a FeatureFlag's default) unless the user says otherwise: a replacement (`pulumi up
 *   --replace`, or a change that replaces) deletes the old object before it creates the new one: a FeatureFlag
 *   created first would find its own value and take it for the value to put back. An OAuthApplication leaves it to
 *   its diff;
 * - no `import`: the engine gives a dynamic resource's read no `__provider` (pulumi/pulumi issues 3550 and 16175),
 *   so an import can only fail later, in the engine's read, with a message that says nothing of this. `instead`
 *   says what to do.
 */
export function dynamicResourceOptions(
  what: string,
  opts: pulumi.CustomResourceOptions | undefined,
  secretOutputs: string[],
  instead: string,
  defaults: { deleteBeforeReplace: boolean } = { deleteBeforeReplace: true },
): pulumi.CustomResourceOptions {
  if (opts?.import !== undefined) {
    throw new Error(
      `${what}: the import resource option cannot work for dynamic resources (Pulumi gives their read no provider: ` +
        `pulumi/pulumi issues 3550 and 16175). ${instead}`,
    );
  }
  return {
    ...(defaults.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
    ...opts,
    additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), ...secretOutputs])],
  };
}
