// A `$BROWSER` for the tests that need no real browser: the emulator's user logs in by HTTP Basic, and the
// redirect goes to wherever it points (the verifier's loopback listener). Usage: stand-in-browser.ts URL
import { basicAuthBrowser } from "../support/basic-auth-browser";

basicAuthBrowser()
  .open(process.argv[process.argv.length - 1])
  .catch(() => (process.exitCode = 1));
