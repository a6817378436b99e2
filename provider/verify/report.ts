// Prints reports: a checklist for people, JSON for CI. The reports are already redacted by the steps.
import { wizardWalk } from "../domain/claude-wizard";
import type { StepStatus, VerifyReport } from "./types";

/** Where a verified Claude connector's secret is, in the closing lines (never the secret itself). */
export const SECRET_IN_OUTPUTS = "clientSecret of `pulumi stack output --json --show-secrets`";

const LABELS: Record<StepStatus, string> = { pass: "PASS", warn: "WARN", fail: "FAIL", skip: "SKIP" };

/**
 * The checklist of one or more connectors, one line per step, cause and fix under each failure or warning; under a
 * Claude connector that verified, unless `wizard` is false, the walk through Claude's wizard with its fields.
 */
export function formatReports(reports: readonly VerifyReport[], options: { wizard?: boolean } = {}): string {
  const closing = (report: VerifyReport) =>
    options.wizard !== false && report.ok && report.client === "claude" ? `\n\n${closingLines(report)}` : "";
  return reports.map((report) => formatReport(report) + closing(report)).join("\n\n") + "\n";
}

/** Where the connector's fields go in Claude's wizard. */
function closingLines(report: VerifyReport): string {
  const values = {
    connectorName: report.connectorName,
    remoteMcpServerUrl: report.mcpUrl,
    clientId: report.clientId,
    clientSecret: SECRET_IN_OUTPUTS,
  };
  return wizardWalk(values).join("\n");
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
