// How the stand-in browser logs in (tests/support/basic-auth-browser.ts, and tests/verify/stand-in-browser.js as a
// `$BROWSER`): it opens the authorize URL as a browser would, logs the emulator's user in by the emulator's
// browserless HTTP Basic, and follows the redirect to wherever it points (the verifier's loopback listener), after
// `tamper` if given. Plain JavaScript: as a `$BROWSER` it is started once per login, and ts-node would add two
// seconds of CPU to each start.
"use strict";

/**
 * @param {string} url
 * @param {{ username: string, password: string }} credentials
 * @param {((callback: URL) => URL) | undefined} tamper
 */
async function basicAuthLogin(url, { username, password }, tamper) {
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
    const delivered = await fetch(tamper ? tamper(callback) : callback, { signal: AbortSignal.timeout(5000) });
    await delivered.body?.cancel();
  }
}

module.exports = { basicAuthLogin };
