// The end of a run: a table for people, or one JSON document for CI. Neither holds a token or a client secret: the
// results hold counts, step ids and the verifier's (redacted) causes only.
import type { RolloutReport } from "./rollout";
import { changesText, type TenantResult } from "./tenant-commands";

/** The summary table, then the line that names the failed tenant and its cause (if one failed). */
export function summaryTable(report: RolloutReport): string {
  const header = ["tenant", "wave", "result", "changes", "verify"];
  const rows = report.tenants.map((result) => [
    result.tenant,
    result.wave,
    resultText(result),
    result.changes ? changesText(result.changes, report.command === "preview" ? "to " : "") : "",
    verifyText(result),
  ]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column].length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line), "", outcomeLine(report)].join("\n") + "\n";
}

/** The last line: `alation-fleet up: 6/6 tenants done` or the failed tenant with its phase and cause. */
export function outcomeLine(report: RolloutReport): string {
  const through = report.tenants.filter((result) => ["done", "unchanged", "absent"].includes(result.status)).length;
  const counts = `${through}/${report.tenants.length} tenants done`;
  if (report.interrupted) return `alation-fleet ${report.command}: interrupted (${counts}; a rerun goes on from here)`;
  if (!report.failed) return `alation-fleet ${report.command}: ${counts}`;
  const { tenant, phase, cause } = report.failed;
  return (
    `alation-fleet ${report.command}: failed: tenant ${tenant}, ${phase}: ${cause} ` +
    `(${counts}; stopped after wave ${report.stoppedAfter})`
  );
}

/** The report as one JSON document. */
export function summaryJson(report: RolloutReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function resultText(result: TenantResult): string {
  if (result.status === "failed") return `failed (${result.failure?.phase})`;
  return result.status;
}

function verifyText(result: TenantResult): string {
  if (result.verify === undefined) return "";
  if (result.verify === "skipped") return "skipped";
  return result.verify.ok ? "passed" : `failed: ${result.verify.failed.map((step) => step.id).join(", ")}`;
}
