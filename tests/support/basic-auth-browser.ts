// A stand-in for the user's browser, for the tests that need no real one (the component's and the verifier's; as a
// `$BROWSER`, tests/verify/stand-in-browser.js).
import { DEFAULT_TEST_USER as EMULATOR_TEST_USER } from "../../emulator";
import type { LoginCredentials } from "../../provider/verify";

const { basicAuthLogin } = require("./basic-auth-login") as {
  basicAuthLogin(url: string, credentials: LoginCredentials, tamper?: (callback: URL) => URL): Promise<void>;
};

/**
 * A stand-in for the user's browser: it logs the emulator's user in (basic-auth-login.js) at each URL it opens.
 * Records the URLs it opened.
 */
export function basicAuthBrowser(options: { credentials?: LoginCredentials; tamper?: (callback: URL) => URL } = {}) {
  const credentials = options.credentials ?? EMULATOR_TEST_USER;
  const opened: string[] = [];
  const open = async (url: string): Promise<boolean> => {
    opened.push(url);
    await basicAuthLogin(url, credentials, options.tamper);
    return true;
  };
  return { open, opened };
}
