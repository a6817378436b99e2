// The "Authenticating to Alation" table of docs/reference.md lists the settings of provider/domain/connection-keys.ts,
// the table the runtime reads stack config and the environment by: each setting in one row, with its `connection`
// field, its stack config key and its environment variable; and nothing else.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { CONNECTION_KEY_NAMES, CONNECTION_KEYS } from "../../provider/domain/connection-keys";

const REFERENCE = path.resolve(__dirname, "..", "..", "docs", "reference.md");

/** The rows of the section's table, each cell as the names it quotes in backticks. */
function tableRows(markdown: string): string[][][] {
  const section = markdown.split(/^## Authenticating to Alation$/m)[1]?.split(/^## /m)[0];
  if (!section) throw new Error("docs/reference.md has no section Authenticating to Alation");
  const rows = section.split("\n").filter((line) => line.startsWith("|"));
  assert.match(rows[0] ?? "", /^\| `connection` field \| stack config \| environment \|$/, "the table's header");
  return rows
    .slice(2)
    .map((row) => row.split("|").slice(1, -1))
    .map((cells) => cells.map((cell) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1])));
}

describe("docs/reference.md: the settings of Authenticating to Alation", () => {
  const rows = tableRows(fs.readFileSync(REFERENCE, "utf8"));

  it("names every setting in one row, with its connection field, stack config key and environment variable", () => {
    for (const name of CONNECTION_KEY_NAMES) {
      const key = CONNECTION_KEYS[name];
      const holding = rows.filter(([, config]) => config.includes(key.config));
      assert.equal(holding.length, 1, `one row names ${key.config}`);
      const [[fields, , envs]] = holding;
      assert.ok(envs.includes(key.env), `the row of ${key.config} names ${key.env}`);
      const field = key.field.split(".")[0];
      assert.ok(
        fields.some((quoted) => quoted === field || quoted.startsWith(`${field}:`) || quoted.startsWith(`${field} `)),
        `the row of ${key.config} names connection.${field}`,
      );
    }
  });

  it("names nothing else", () => {
    const configs = rows.flatMap(([, config]) => config);
    const envs = rows.flatMap(([, , env]) => env);
    assert.deepEqual(
      configs.sort(),
      CONNECTION_KEY_NAMES.map((name) => CONNECTION_KEYS[name].config).sort(),
      "stack config keys",
    );
    assert.deepEqual(envs.sort(), CONNECTION_KEY_NAMES.map((name) => CONNECTION_KEYS[name].env).sort(), "variables");
  });
});
