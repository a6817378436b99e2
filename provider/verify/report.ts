// Prints reports: a checklist for people, JSON for CI. The reports are already redacted by the steps.
import type { StepStatus, VerifyReport } from "./types";

const LABELS: Record<StepStatus, string> = { pass: "PASS", warn: "WARN", fail: "FAIL", skip: "SKIP" };

/** The checklist of one or more connectors, one line per step, cause and fix under each failure or warning. */
export function formatReports(reports: readonly VerifyReport[]): string {
  return reports.map(formatReport).join("\n\n") + "\n";
}

function formatReport(report: VerifyReport): string {
  const width = Math.max(...report.steps.map((step) => step.id.length));
  const client = report.client === "claude" ? "" : `, MCP client ${report.client}`;
  const name = report.name ? `${report.name} ` : "";
  const lines = [`Connector ${name}(${report.mcpUrl}, client id ${report.clientId}${client})`];
  for (const step of report.steps) {
    lines.push(
      `  ${LABELS[step.status]}  ${step.id.padEnd(width)}  ${step.title}${step.detail ? `: ${step.detail}` : ""}`,
    );
    if (step.cause) lines.push(`        cause: ${step.cause}`);
    if (step.fix) lines.push(`        fix:   ${step.fix}`);
  }
  const count = (status: StepStatus) => report.steps.filter((step) => step.status === status).length;
  const summary =
    `${count("pass")} passed, ${count("warn")} warnings, ${count("fail")} failed, ${count("skip")} ` + `skipped`;
  lines.push(`  => ${report.ok ? "OK" : "FAILED"} (${summary})`);
  return lines.join("\n");
}

/** The machine-readable form: `ok` is true when no step of any connector failed. */
export function reportsToJson(reports: readonly VerifyReport[]): string {
  return JSON.stringify({ ok: reports.every((report) => report.ok), connectors: reports }, null, 2) + "\n";
}
