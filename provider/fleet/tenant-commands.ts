// What each command does to one tenant's stack: preview, up (then verify, the gate), destroy. Each returns the
// tenant's result and never throws: a failure is a result, with the phase and the cause, so that the rest of the wave
// runs to its end and the summary names it.
import type { OpMap } from "@pulumi/pulumi/automation";
import { Stack as AutomationStack } from "@pulumi/pulumi/automation";
import { redactText } from "../domain/redact";
import { urlPassword } from "../domain/urls";
import type { FleetTenant } from "./fleet-file";
import {
  CONVERGED_TAG,
  convergedFingerprint,
  existingStack,
  runStack,
  stackTags,
  tenantWorkspace,
  type StackContext,
} from "./tenant-stack";
import { verifyCause, verifyTenant, type GateIo, type VerifySummary } from "./verify-gate";

/** The phases of a tenant's run, as progress lines and failures name them. */
export type Phase = "preview" | "up" | "verify" | "destroy";

/**
 * done: the command ran. unchanged: the stack had converged with these inputs already (up), left alone. absent: no
 * stack to destroy. failed: see `failure`. not run: an earlier wave failed.
 */
export type TenantStatus = "done" | "unchanged" | "absent" | "failed" | "not run";

/** What a command did to one tenant. */
export interface TenantResult {
  tenant: string;
  wave: string;
  status: TenantStatus;
  /** The engine's count of resources by operation (`create`, `same`, `delete`...). */
  changes?: Record<string, number>;
  /** The verification after `up`: its summary, or "skipped" (`verify: false`). */
  verify?: VerifySummary | "skipped";
  failure?: { phase: Phase; cause: string };
}

/** What the tenant commands need besides the stack context: where progress goes, the gate's environment. */
export interface TenantIo extends GateIo {
  /** A line of progress about `tenant`. */
  tenantProgress(tenant: FleetTenant, line: string): void;
}

/** `preview`: no credential, no request to the tenant. A stack that did not exist is removed again afterwards. */
export async function previewTenant(context: StackContext, tenant: FleetTenant, io: TenantIo): Promise<TenantResult> {
  return guarded(tenant, "preview", context, io, async (result) => {
    const workspace = await tenantWorkspace(context, tenant, false);
    const existing = await existingStack(workspace, tenant);
    const stack = existing ?? (await AutomationStack.create(tenant.name, workspace));
    io.tenantProgress(tenant, "preview ...");
    try {
      const preview = await stack.preview({ color: "never", signal: context.cancel });
      result.changes = countsOf(preview.changeSummary);
    } finally {
      if (!existing) await workspace.removeStack(tenant.name);
    }
    io.tenantProgress(tenant, `preview done: ${changesText(result.changes, "to ")}`);
  });
}

/**
 * `up`, then the gate. A stack whose converged tag holds the current inputs' fingerprint is left alone (unless
 * `--refresh`: what changed in Alation since is put back); any other loses its tag before the `up`, and gets it back
 * only once the `up` and the verification are fine.
 */
export async function upTenant(context: StackContext, tenant: FleetTenant, io: TenantIo): Promise<TenantResult> {
  return guarded(tenant, "up", context, io, async (result, setPhase) => {
    const workspace = await tenantWorkspace(context, tenant, true);
    const fingerprint = convergedFingerprint(tenant);
    const tags = await stackTags(workspace, tenant);
    if (tags?.[CONVERGED_TAG] === fingerprint && !context.refresh) {
      result.status = "unchanged";
      io.tenantProgress(tenant, "up: unchanged (converged with these inputs already)");
      return;
    }
    if (tags === undefined) await workspace.createStack(tenant.name);
    if (tags?.[CONVERGED_TAG] !== undefined) await workspace.removeTag(tenant.name, CONVERGED_TAG);
    io.tenantProgress(tenant, "up ...");
    const up = await runStack(context, workspace, tenant, "up");
    result.changes = countsOf(up.changes);
    io.tenantProgress(tenant, `up done: ${changesText(result.changes)}`);
    setPhase("verify");
    result.verify = await gate(up.outputs, tenant, io);
    if (result.verify !== "skipped" && !result.verify.ok) {
      result.status = "failed";
      result.failure = { phase: "verify", cause: verifyCause(result.verify) };
      io.tenantProgress(tenant, `verify failed: ${result.failure.cause}`);
      return;
    }
    await workspace.setTag(tenant.name, CONVERGED_TAG, fingerprint);
  });
}

/** The verification of the stack's outputs (those the `up` read: no other CLI run). */
async function gate(
  outputs: Record<string, unknown>,
  tenant: FleetTenant,
  io: TenantIo,
): Promise<VerifySummary | "skipped"> {
  if (tenant.verify === false) {
    io.tenantProgress(tenant, "verify: skipped (verify: false)");
    return "skipped";
  }
  io.tenantProgress(tenant, "verify ...");
  const summary = await verifyTenant(tenant, tenant.verify, outputs, io);
  if (summary.ok) io.tenantProgress(tenant, `verify passed: ${verifyCounts(summary)}`);
  return summary;
}

/** `destroy`, then the stack is removed from the backend; a tenant without a stack is `absent`. */
export async function destroyTenant(context: StackContext, tenant: FleetTenant, io: TenantIo): Promise<TenantResult> {
  return guarded(tenant, "destroy", context, io, async (result) => {
    const workspace = await tenantWorkspace(context, tenant, true);
    if ((await stackTags(workspace, tenant)) === undefined) {
      result.status = "absent";
      io.tenantProgress(tenant, "destroy: no stack (nothing to destroy)");
      return;
    }
    io.tenantProgress(tenant, "destroy ...");
    result.changes = countsOf((await runStack(context, workspace, tenant, "destroy")).changes);
    await workspace.removeStack(tenant.name);
    io.tenantProgress(tenant, `destroy done: ${changesText(result.changes)}`);
  });
}

/** Runs a tenant's command; an exception becomes a failure of the phase it happened in. */
async function guarded(
  tenant: FleetTenant,
  phase: Phase,
  context: StackContext,
  io: TenantIo,
  run: (result: TenantResult, setPhase: (phase: Phase) => void) => Promise<void>,
): Promise<TenantResult> {
  const result: TenantResult = { tenant: tenant.name, wave: tenant.wave, status: "done" };
  let current = phase;
  try {
    await run(result, (next) => (current = next));
  } catch (error) {
    result.status = "failed";
    const secrets = [context.env[tenant.apiAccessTokenEnv], urlPassword(context.fleet.backend)];
    result.failure = { phase: current, cause: withTokenFix(tenant, causeOf(error, ...secrets)) };
    io.tenantProgress(tenant, `${current} failed: ${result.failure.cause}`);
  }
  return result;
}

/**
 * The lines of a CLI failure that say what went wrong (the engine's `error:` diagnostics, the provider's message
 * among them), else its first line; the secrets given (the tenant's token, the backend's password) redacted, should
 * anything have echoed them.
 */
export function causeOf(error: unknown, ...secrets: Array<string | undefined>): string {
  const text = error instanceof Error ? error.message : String(error);
  const errors = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => /^error: /.test(line) && !/^error: update failed$/.test(line))
    .map((line) => line.replace(/^error: /, ""));
  const cause = [...new Set(errors)].join("; ") || text.split("\n").find((line) => line.trim() !== "") || "failed";
  return redactText(cause.length > 1000 ? `${cause.slice(0, 1000)}...` : cause, secrets);
}

/**
 * A cause whose tenant refused the token, with the fleet's fix: the token is the one in the tenant's variable (the
 * provider's own message names ALATION_API_ACCESS_TOKEN, which the fleet sets from it for each command).
 */
export function withTokenFix(tenant: FleetTenant, cause: string): string {
  if (!/\((401|403) auth\)/.test(cause)) return cause;
  return (
    `${cause} (tenant ${tenant.name}: the API access token in ${tenant.apiAccessTokenEnv}, its apiAccessTokenEnv, ` +
    `was refused by ${tenant.baseUrl}: set ${tenant.apiAccessTokenEnv} to a current token of a Server Admin)`
  );
}

function countsOf(map: OpMap | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(map ?? {}).filter(([, count]) => (count ?? 0) > 0)) as Record<
    string,
    number
  >;
}

/** `2 created, 1 unchanged` (or `2 to create, 1 unchanged` for a preview). */
export function changesText(changes: Record<string, number> | undefined, prefix = ""): string {
  const words: Record<string, [string, string]> = {
    create: ["create", "created"],
    update: ["update", "updated"],
    delete: ["delete", "deleted"],
    replace: ["replace", "replaced"],
  };
  const parts = Object.entries(changes ?? {}).map(([op, count]) => {
    if (op === "same") return `${count} unchanged`;
    const [verb, past] = words[op] ?? [op, op];
    return prefix ? `${count} ${prefix}${verb}` : `${count} ${past}`;
  });
  return parts.join(", ") || "no resources";
}

function verifyCounts(summary: VerifySummary): string {
  return `${summary.passed} passed, ${summary.warnings} warnings, ${summary.skipped} skipped`;
}
