// Hostile values shared by the reliability tests (check, lifecycles, the emulator).
import { hostileText } from "../shell/lifecycle";

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
