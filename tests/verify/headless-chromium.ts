// A `$BROWSER` for the tests: headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, which
// never downloads a browser of its own. It opens the URL it is given, logs in through the emulator's HTML login
// form as a person would, waits for the verifier's loopback callback page, and writes what it saw to the --log
// file (never the code). Usage: headless-chromium.ts --log FILE URL
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium } from "playwright-core";
import { DEFAULT_TEST_USER } from "../../emulator/tenant";

/** Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it). */
export const CHROMIUM = "/usr/bin/chromium";

/** As root on a closed network: no sandbox, no GPU, no QUIC, and none of the background traffic Chromium starts. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

async function logIn(url: string, log: string): Promise<void> {
  // A new, empty profile (--user-data-dir) for each run.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "verify-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20_000);
    await page.goto(url);
    const fields = await page
      .locator("form input")
      .evaluateAll((inputs) => inputs.map((input) => input.getAttribute("name")));
    await page.fill('input[name="email"]', DEFAULT_TEST_USER.username);
    await page.fill('input[name="password"]', DEFAULT_TEST_USER.password);
    await Promise.all([
      page.waitForURL((target) => target.pathname === "/callback"),
      page.click('button[type="submit"]'),
    ]);
    const landed = new URL(page.url());
    const seen = {
      formFields: fields,
      landedOn: `${landed.origin}${landed.pathname}`,
      heading: await page.textContent("h1"),
    };
    fs.writeFileSync(log, JSON.stringify(seen));
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const log = argv[argv.indexOf("--log") + 1];
  const url = argv[argv.length - 1];
  const guard = setTimeout(() => process.exit(2), 60_000);
  logIn(url, log)
    .catch((error: unknown) => fs.writeFileSync(log, JSON.stringify({ error: String(error) })))
    .finally(() => clearTimeout(guard));
}
