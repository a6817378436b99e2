// A `$BROWSER` for the tests that need no real browser: the emulator's user logs in by HTTP Basic, and the redirect
// goes to wherever it points (the verifier's loopback listener). Usage: stand-in-browser.js URL. Plain JavaScript
// (tests/support/basic-auth-login.js says why), with the test user of the built emulator (`pretest` builds it).
"use strict";
const { DEFAULT_TEST_USER } = require("../../dist/emulator/tenant");
const { basicAuthLogin } = require("../support/basic-auth-login");

basicAuthLogin(process.argv[process.argv.length - 1], DEFAULT_TEST_USER).catch(() => (process.exitCode = 1));
