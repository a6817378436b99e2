// `alation-fleet outputs`: each tenant's connector fields, as its stack exports them, read from the fleet's backend
// without the caller knowing the stack's full name or setting a backend. Secrets stay masked (`[secret]`, as the
// Pulumi CLI masks them, nested ones too) unless `--show-secrets`.
import { execFile } from "node:child_process";
import type { FleetTenant } from "./fleet-file";
import { atMost } from "./rollout";
import { existingStack, stackOutputs, tenantWorkspace, type StackContext } from "./tenant-stack";

/** Each tenant's stack outputs by tenant name; null for a tenant that has no stack yet. */
export type FleetOutputs = Record<string, Record<string, unknown> | null>;

/** The outputs of `tenants`' stacks, in their order, up to the fleet's `parallel` at once. */
export async function readOutputs(
  context: StackContext,
  tenants: readonly FleetTenant[],
  showSecrets: boolean,
): Promise<FleetOutputs> {
  const outputs = await atMost(context.fleet.parallel, tenants, async (tenant) => {
    const workspace = await tenantWorkspace(context, tenant, false);
    const args = ["stack", "output", "--json", "--stack", tenant.name, ...(showSecrets ? ["--show-secrets"] : [])];
    let printed: string;
    try {
      printed = await pulumiOutput(context.pulumi.command, args, workspace.workDir, workspace.envVars);
    } catch (error) {
      // Whether the stack exists is asked only when its read failed: one CLI run a tenant, not two.
      if (!(await existingStack(workspace, tenant))) return null;
      throw error;
    }
    return stackOutputs(printed, tenant);
  });
  return Object.fromEntries(tenants.map((tenant, index) => [tenant.name, outputs[index]]));
}

/** The stdout of a `pulumi` run in `cwd`; a failure is its stderr's message. */
function pulumiOutput(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(stderr.trim() || error.message));
      else resolve(stdout);
    });
  });
}

/** The outputs for people: per tenant, a line per field (objects as one line of JSON). */
export function outputsText(outputs: FleetOutputs): string {
  const blocks = Object.entries(outputs).map(([tenant, fields]) => {
    if (fields === null) return `${tenant}: no stack yet (alation-fleet up makes it)`;
    const width = Math.max(0, ...Object.keys(fields).map((key) => key.length));
    const lines = Object.entries(fields).map(
      ([key, value]) => `  ${key.padEnd(width)}  ${typeof value === "string" ? value : JSON.stringify(value)}`,
    );
    return [tenant, ...lines].join("\n");
  });
  return `${blocks.join("\n")}\n`;
}
