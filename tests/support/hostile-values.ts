// Hostile values: texts that would run something if any layer pasted them into a shell or into Python source, and
// the canary file whose appearance would prove it. Used by the shell lifecycles and the reliability tests (check,
// lifecycles, the emulator).
import * as os from "node:os";
import * as path from "node:path";

/** A value that would run something if any layer pasted it into a shell or into Python source. */
export function hostileText(canary: string): string {
  return (
    `it's "q" $(touch ${canary}) \`touch ${canary}\`; touch ${canary}\n'''); __import__("os").system("touch ` +
    `${canary}") #`
  );
}

/** A path for a canary file, which must never appear. */
export function canaryPath(): string {
  return path.join(os.tmpdir(), `alation-canary-${process.pid}-${Math.random().toString(36).slice(2)}`);
}

/** Texts that would run something, or break something, if any layer pasted them into code or a command line. */
export function hostileTexts(canary: string): string[] {
  return [
    hostileText(canary),
    `it's "double" and 'single'`,
    "line one\nline two\r\n",
    "nul\u0000byte",
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `'''; __import__("os").system("touch ${canary}") #`,
    `"""\n__import__('os').system('touch ${canary}')\n"""`,
    `\\"; touch ${canary}; echo "`,
    "-c import os; os.system('touch x')",
    "--help",
    "%s %d {0} {name} ${HOME}",
    "<script>alert(1)</script>",
    "ünïcødé — 名前 🚀 \u202eevil",
  ];
}
