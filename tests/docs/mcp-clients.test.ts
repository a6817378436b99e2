// The table of docs/mcp-clients.md (the README's "MCP clients" links it) is the preset table of
// provider/domain/mcp-clients.ts: one row per preset, with its options and defaults, the callbacks its application
// registers, their source, and its clientConfig's format (and whether it holds the secret); and nothing else. The
// README's list of presets is the table's too. The code comments cite the same sources.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { FORM_FIELDS } from "../../provider/domain/mcp-client-configs";
import { MCP_CLIENT_PRESETS, MCP_CLIENT_TABLE, type McpClientPreset } from "../../provider/domain/mcp-clients";

const PAGE = path.resolve(__dirname, "..", "..", "docs", "mcp-clients.md");
const HEADER = "| preset | options | callbacks | callbacks' source | clientConfig |";

/** The row the page must have for a preset. */
function expectedRow(preset: McpClientPreset): string {
  const row = MCP_CLIENT_TABLE[preset];
  const options = Object.entries(row.options).map(([name, option]) =>
    option.default === undefined ? `\`${name}\` (required)` : `\`${name}\` (default \`${String(option.default)}\`)`,
  );
  const shown = Object.fromEntries(Object.entries(row.options).map(([name, option]) => [name, option.shownAs]));
  const callbacks = row.callbacks(shown, "https://TENANT").map((uri) => `\`${uri}\``);
  const secret = row.config.holdsSecret ? "a Pulumi secret" : "no secret";
  const config = `${row.config.format}; ${secret} (${row.configSource})`;
  const cells = [
    `\`${preset}\`: ${row.title}`,
    options.join(", ") || "none",
    callbacks.join(", "),
    row.callbackSource,
    config,
  ];
  return `| ${cells.join(" | ")} |`;
}

/** The row of a client given by its redirect URIs. */
const CUSTOM_ROW =
  "| `{ redirectUris: [...] }`: any other MCP client | none | the given URIs | the client's own docs | " +
  `${FORM_FIELDS.format}; a Pulumi secret (what any client's form asks for) |`;

function tableOf(markdown: string): string[] {
  const rows = markdown.split("\n").filter((line) => line.startsWith("|"));
  assert.equal(rows[0], HEADER, "the table's header");
  return rows.slice(2);
}

describe("docs/mcp-clients.md: the MCP clients table", () => {
  const rows = tableOf(fs.readFileSync(PAGE, "utf8"));

  it("has one row per preset, exactly as the preset table says, and no other", () => {
    const expected = [...MCP_CLIENT_PRESETS.map(expectedRow), CUSTOM_ROW];
    assert.deepEqual(
      rows,
      expected,
      `the table should read:\n${HEADER}\n|---|---|---|---|---|\n${expected.join("\n")}`,
    );
  });

  it("the README names every preset, in the table's order, and no other", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "..", "..", "README.md"), "utf8").replace(/\s+/g, " ");
    const listed = /`client` is a preset \(([^)]*)\)/.exec(readme)?.[1];
    assert.ok(listed, "the README's sentence `client` is a preset (...)");
    assert.equal(listed, MCP_CLIENT_PRESETS.map((preset) => `\`${preset}\``).join(", "));
  });

  it("cites a source for every preset's callbacks and format, in the code too", () => {
    const source = fs.readFileSync(path.resolve(__dirname, "..", "..", "provider/domain/mcp-clients.ts"), "utf8");
    for (const preset of MCP_CLIENT_PRESETS) {
      const row = MCP_CLIENT_TABLE[preset];
      assert.match(row.callbackSource, /issue|docs|guide|pull request|\.tsx?|\.md/, `${preset}: a source`);
      assert.match(row.configSource, /issue|docs|guide|pull request|form|\.tsx?|\.md/, `${preset}: a source`);
      assert.ok(source.includes(`${JSON.stringify(preset)}:`) || source.includes(`${preset}:`), preset);
    }
  });
});
