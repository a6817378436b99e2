// Opens a URL in the user's browser: `$BROWSER` when it is set (the convention that xdg-open and Python's
// webbrowser follow), else the platform's usual opener. Always an argv array and never a shell, so the URL is
// one argument whatever characters it holds.
import { spawn } from "node:child_process";

/**
 * The commands to try, in order, each as an argv array. `$BROWSER` is a list of commands separated as PATH is
 * (":", or ";" on Windows); in each, `%s` stands for the URL (`%%` for a percent sign), and a command without
 * `%s` gets the URL appended.
 */
export function browserCommands(
  url: string,
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform,
): string[][] {
  const browser = env.BROWSER?.trim();
  if (!browser) return [platformOpener(url, platform)];
  return browser
    .split(platform === "win32" ? ";" : ":")
    .map((command) => splitCommand(command, platform))
    .filter((argv) => argv.length > 0)
    .map((argv) =>
      argv.some((word) => word.includes("%s")) ? argv.map((word) => withUrl(word, url)) : [...argv, url],
    );
}

function platformOpener(url: string, platform: NodeJS.Platform): string[] {
  if (platform === "darwin") return ["open", url];
  // `start` is a builtin of cmd.exe, which would parse the URL's `&` as a command separator: rundll32 opens the
  // URL with the default browser without any shell.
  if (platform === "win32") return ["rundll32", "url.dll,FileProtocolHandler", url];
  return ["xdg-open", url];
}

/** `%s` replaced by the URL and `%%` by `%`, in one pass (a `%s` inside the URL stays as it is). */
function withUrl(word: string, url: string): string {
  return word.replace(/%%|%s/g, (match) => (match === "%%" ? "%" : url));
}

/**
 * Splits a command line into words as a POSIX shell would, without expanding anything: whitespace separates,
 * quotes group, a backslash escapes the next character (not on Windows, where it separates path segments).
 */
export function splitCommand(command: string, platform: NodeJS.Platform = process.platform): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < command.length; i++) {
    const char = command[i];
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
    } else if (
      char === "\\" &&
      platform !== "win32" &&
      i + 1 < command.length &&
      (quote === undefined || /["\\$`]/.test(command[i + 1]))
    ) {
      word = (word ?? "") + command[++i];
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else word += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      word = word ?? "";
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? "") + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * Starts the first of the commands that exists, detached, so the browser outlives the verifier. Resolves to
 * false when none could be started (the URL is printed for the user anyway).
 */
export async function openBrowser(
  url: string,
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<boolean> {
  for (const [command, ...args] of browserCommands(url, env, platform)) {
    if (await started(command, args)) return true;
  }
  return false;
}

function started(command: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "ignore", detached: true, windowsHide: true });
    child.once("error", () => resolve(false));
    child.once("spawn", () => {
      child.unref();
      resolve(true);
    });
  });
}
