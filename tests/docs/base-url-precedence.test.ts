// The README's walkthrough says which baseUrl wins when several are set: the one in code (the resource's
// `connection`), then the stack config's `alation:baseUrl`, then ALATION_BASE_URL. The runtime (what Pulumi's
// provider process runs) chooses so; the README says so.
import { strict as assert } from "node:assert";
import { resolveConnection } from "../../provider/runtime/connection";
import { configure } from "../../provider/runtime/stack-config";
import { docSection } from "../support/docs";

const CODE = "https://code.example.com";
const CONFIG = "https://config.example.com";
const ENV = "https://env.example.com";

/** Stores `values` as the stack's `alation:*` config, as the dynamic-provider server hands it to `configure`. */
const stackConfig = (values: Record<string, string>) => configure({ config: { get: (key: string) => values[key] } });

describe("README: which baseUrl wins", () => {
  const saved = { ...process.env };
  beforeEach(() => {
    for (const key of Object.keys(process.env)) if (key.startsWith("ALATION_")) delete process.env[key];
    process.env.ALATION_API_ACCESS_TOKEN = "token";
  });
  afterEach(async () => {
    process.env = { ...saved };
    await stackConfig({});
  });

  it("says the value in code wins over the stack config, which wins over the environment", () => {
    const squeeze = (text: string) => text.replace(/\s+/g, " ");
    const walkthrough = squeeze(docSection("README.md", "## Using it in your stack"));
    for (const claim of [
      "else from `ALATION_BASE_URL` and `ALATION_API_ACCESS_TOKEN`",
      "A value in code wins over both",
      "the stack config's `alation:baseUrl` is not read",
    ])
      assert.ok(walkthrough.includes(claim), claim);
  });

  it("the runtime takes the connection's baseUrl, else the stack config's, else the environment's", async () => {
    process.env.ALATION_BASE_URL = ENV;
    await stackConfig({ "alation:baseUrl": CONFIG });
    assert.equal(resolveConnection({ baseUrl: CODE }).baseUrl, CODE);
    assert.equal(resolveConnection(undefined).baseUrl, CONFIG);
    await stackConfig({});
    assert.equal(resolveConnection(undefined).baseUrl, ENV);
  });
});
