// Wraps credential fields of nested inputs in pulumi.secret, so that the engine stores them encrypted (as inputs
// and, through the provider, in outputs) and never shows them in plan output.
import * as pulumi from "@pulumi/pulumi";

/**
 * `value` with the fields named by `paths` made secret. A path is dotted (`clientCredentials`,
 * `ssh.privateKey`); a field that is absent stays absent. When `value` (or a parent of a path) is itself an Output
 * or a Promise, its fields cannot be reached before it resolves, so the whole of it is made secret.
 */
export function withSecretFields<T>(
  value: pulumi.Input<T> | undefined,
  paths: ReadonlyArray<string>,
): pulumi.Input<T> | undefined {
  if (value === undefined || value === null || paths.length === 0) return value;
  if (pulumi.Output.isInstance(value) || value instanceof Promise)
    return pulumi.secret(value) as unknown as pulumi.Output<T>;
  if (typeof value !== "object") return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const byHead = new Map<string, string[]>();
  for (const path of paths) {
    const [head, ...rest] = path.split(".");
    byHead.set(head, [...(byHead.get(head) ?? []), ...(rest.length > 0 ? [rest.join(".")] : [])]);
  }
  for (const [head, rest] of byHead) {
    const field = copy[head] as pulumi.Input<unknown> | undefined;
    if (field === undefined) continue;
    const wholeField = rest.length === 0 || paths.includes(head);
    copy[head] = wholeField ? pulumi.secret(field) : withSecretFields(field, rest);
  }
  return copy as T;
}
