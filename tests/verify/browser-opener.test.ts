// How `verify --login` opens the browser ($BROWSER as xdg-open and Python's webbrowser read it, else the
// platform's opener; argv arrays, never a shell) and how its loopback listener takes the one callback.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { browserCommands, openBrowser } from "../../provider/verify";
import { splitCommand } from "../../provider/verify/browser";
import { listenForCallback } from "../../provider/verify/loopback";

const URL_ =
  "https://t.example.com/oauth/v1/authorize/?client_id=x&state=s&redirect_uri=http%3A%2F%2F127.0.0.1%3A1%2Fcallback";

describe("verify --login: opening the browser", () => {
  it("uses the platform's opener without $BROWSER (rundll32 on Windows: cmd's start would parse the URL's &)", () => {
    assert.deepEqual(browserCommands(URL_, {}, "linux"), [["xdg-open", URL_]]);
    assert.deepEqual(browserCommands(URL_, { BROWSER: " " }, "linux"), [["xdg-open", URL_]]);
    assert.deepEqual(browserCommands(URL_, {}, "darwin"), [["open", URL_]]);
    assert.deepEqual(browserCommands(URL_, {}, "win32"), [["rundll32", "url.dll,FileProtocolHandler", URL_]]);
  });

  it("reads $BROWSER as xdg-open does: a list of commands, %s for the URL, else the URL appended", () => {
    assert.deepEqual(browserCommands(URL_, { BROWSER: "firefox" }, "linux"), [["firefox", URL_]]);
    assert.deepEqual(browserCommands(URL_, { BROWSER: "chromium --new-window:w3m %s" }, "linux"), [
      ["chromium", "--new-window", URL_],
      ["w3m", URL_],
    ]);
    assert.deepEqual(browserCommands(URL_, { BROWSER: `'/opt/My Browser/run' --flag="a b" --url=%s 100%%` }, "linux"), [
      ["/opt/My Browser/run", "--flag=a b", `--url=${URL_}`, "100%"],
    ]);
    assert.deepEqual(
      browserCommands("https://x/%s", { BROWSER: "b %s" }, "linux"),
      [["b", "https://x/%s"]],
      "a %s in the URL stays",
    );
    assert.deepEqual(browserCommands(URL_, { BROWSER: '"C:\\Program Files\\B\\b.exe" %s;edge' }, "win32"), [
      ["C:\\Program Files\\B\\b.exe", URL_],
      ["edge", URL_],
    ]);
  });

  it("splits commands like a shell, without expanding anything", () => {
    assert.deepEqual(splitCommand(`a 'b c' "d \\"e\\"" f\\ g $HOME`, "linux"), ["a", "b c", 'd "e"', "f g", "$HOME"]);
    assert.deepEqual(splitCommand(`x "" ''`, "linux"), ["x", "", ""]);
  });

  describe("starting it", () => {
    let dir: string;
    let recorder: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-opener-"));
      recorder = path.join(dir, "recorder.js");
      fs.writeFileSync(
        recorder,
        'require("fs").writeFileSync(process.argv[2], JSON.stringify(process.argv.slice(3)));\n',
      );
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    async function recorded(file: string): Promise<string[]> {
      for (let waited = 0; !fs.existsSync(file) && waited < 10_000; waited += 50)
        await new Promise((resolve) => setTimeout(resolve, 50));
      return JSON.parse(fs.readFileSync(file, "utf8")) as string[];
    }

    it("hands the URL over as one argument, whatever it holds (no shell)", async () => {
      const out = path.join(dir, "argv.json");
      const marker = path.join(dir, "pwned");
      const hostile = `https://t.example.com/a?x=1&y=2;touch ${marker}&z=$(touch ${marker})\`touch ${marker}\`'"|>`;
      const started = await openBrowser(
        hostile,
        { BROWSER: `'${process.execPath}' '${recorder}' '${out}' %s` },
        "linux",
      );
      assert.equal(started, true);
      assert.deepEqual(await recorded(out), [hostile]);
      assert.equal(fs.existsSync(marker), false, "nothing ran the URL as a command");
    });

    it("tries the next command of $BROWSER when one does not exist, and says when none could start", async () => {
      const out = path.join(dir, "fallback.json");
      assert.equal(
        await openBrowser(
          URL_,
          { BROWSER: `no-such-browser-7d1f:'${process.execPath}' '${recorder}' '${out}'` },
          "linux",
        ),
        true,
      );
      assert.deepEqual(await recorded(out), [URL_]);
      assert.equal(
        await openBrowser(URL_, { BROWSER: "no-such-browser-7d1f:no-such-browser-9e2a %s" }, "linux"),
        false,
      );
    });
  });
});

describe("verify --login: the loopback listener", () => {
  it("takes the first GET /callback (404 for anything else) and then stops listening", async () => {
    const listener = await listenForCallback(0);
    try {
      const port = new URL(listener.redirectUri).port;
      assert.match(listener.redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      assert.equal((await fetch(`http://127.0.0.1:${port}/favicon.ico`)).status, 404);
      assert.equal((await fetch(`http://127.0.0.1:${port}/callback?code=c`, { method: "POST" })).status, 404);
      const page = await fetch(`http://127.0.0.1:${port}/callback?code=c1&state=s`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /Login answer received/);
      const taken = await listener.next(1000);
      assert.equal(taken?.searchParams.get("code"), "c1");
      await assert.rejects(
        fetch(`http://127.0.0.1:${port}/callback?code=c2&state=s`, { signal: AbortSignal.timeout(2000) }),
      );
      assert.equal((await listener.next(10))?.searchParams.get("code"), "c1", "one code, the first");
    } finally {
      await listener.close();
    }
  });

  it("gives up after the timeout", async () => {
    const listener = await listenForCallback(0);
    try {
      const started = Date.now();
      assert.equal(await listener.next(100), undefined);
      assert.ok(Date.now() - started < 2000);
    } finally {
      await listener.close();
    }
  });
});
