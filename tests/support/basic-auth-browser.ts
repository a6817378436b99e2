// A stand-in for the user's browser, for the tests that need no real one (the component's, the verifier's, and
// tests/verify/stand-in-browser.ts as a `$BROWSER`).
import { DEFAULT_TEST_USER as EMULATOR_TEST_USER } from "../../emulator";
import type { LoginCredentials } from "../../provider/verify";

/**
 * A stand-in for the user's browser: it opens the authorize URL as a browser would, logs the emulator's user in by
 * the emulator's browserless HTTP Basic, and follows the redirect to wherever it points (the verifier's loopback
 * listener), after `tamper` if given. Records the URLs it opened.
 */
export function basicAuthBrowser(options: { credentials?: LoginCredentials; tamper?: (callback: URL) => URL } = {}) {
  const { username, password } = options.credentials ?? EMULATOR_TEST_USER;
  const opened: string[] = [];
  const open = async (url: string): Promise<boolean> => {
    opened.push(url);
    const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
    const answer = await fetch(url, {
      headers: { authorization },
      redirect: "manual",
      signal: AbortSignal.timeout(5000),
    });
    await answer.body?.cancel();
    const location = answer.headers.get("location");
    if (location) {
      const callback = new URL(location, url);
      const delivered = await fetch(options.tamper ? options.tamper(callback) : callback, {
        signal: AbortSignal.timeout(5000),
      });
      await delivered.body?.cancel();
    }
    return true;
  };
  return { open, opened };
}
