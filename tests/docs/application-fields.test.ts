// The tables of docs/reference.md (the README links it) that list OAuthApplication's fields are the field table's
// (provider/domain/application-fields.ts): OAuthApplication's table has a row per field, in the table's order, with
// its default and Alation's limits, the fields REST cannot set marked as enforced only through the shell, and besides
// them only the resource's other inputs; each connector table states the default and limits of the fields it passes
// on. A field added to the table and not to the docs fails here.
import { strict as assert } from "node:assert";
import { APPLICATION_OPTIONS } from "../../provider/component/connector-options";
import {
  APPLICATION_FIELD_KEYS,
  APPLICATION_FIELD_TABLE,
  type ApplicationFieldKey,
  type FieldFacts,
} from "../../provider/domain/application-fields";
import { oauthApplicationShape } from "../../provider/schema/oauth-application";
import { docSection } from "../support/docs";

const PAGE = "docs/reference.md";
const HEADER = "| input | default | meaning |";

/** The rows of the section's first table, by the input(s) their first cell names (`connection` or `shell`: two). */
function rowsOf(heading: string): Array<{ inputs: string[]; cells: string[] }> {
  const lines = docSection(PAGE, heading).split("\n");
  const start = lines.indexOf(HEADER);
  assert.ok(start >= 0, `${heading}: a table with the header ${HEADER}`);
  const rows = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    const cells = line.split(" | ").map((cell) => cell.replace(/^\| ?| ?\|$/g, ""));
    rows.push({ inputs: [...cells[0].matchAll(/`([A-Za-z]+)`/g)].map((match) => match[1]), cells });
  }
  return rows;
}

const facts = (key: ApplicationFieldKey): FieldFacts => APPLICATION_FIELD_TABLE[key];

/** What a field's meaning must say: Alation's limits, and where REST cannot set it, that only the shell enforces it. */
function requiredMentions(key: ApplicationFieldKey): string[] {
  const { range, reach } = facts(key);
  return [
    ...(range ? [`Seconds, ${range.min} to ${range.max}.`] : []),
    ...(reach === "rest-undocumented" ? ["Enforced only through `shell`"] : []),
  ];
}

/** A default as the docs write it: the value in code quotes, JSON-style. */
function documentedDefault(value: FieldFacts["default"]): string {
  return `\`${JSON.stringify(value)}\``;
}

describe("docs/reference.md: the OAuthApplication field tables", () => {
  it("OAuthApplication: a row per field, in the table's order, with its default and limits", () => {
    const rows = rowsOf("## `OAuthApplication(name, args, opts?)`");
    const fieldRows = rows.filter((row) => APPLICATION_FIELD_KEYS.includes(row.inputs[0] as ApplicationFieldKey));
    assert.deepEqual(
      fieldRows.map((row) => row.inputs[0]),
      [...APPLICATION_FIELD_KEYS],
      "one row per field of provider/domain/application-fields.ts, in its order",
    );
    for (const row of fieldRows) {
      const key = row.inputs[0] as ApplicationFieldKey;
      const value = facts(key).default;
      // The name is the only field without Alation's default that the user may leave out: the resource names it.
      if (value !== undefined) assert.equal(row.cells[1], documentedDefault(value), `${key}: its default`);
      else if (key !== "name") assert.equal(row.cells[1], "required", `${key}: required`);
      for (const mention of requiredMentions(key)) assert.ok(row.cells[2].includes(mention), `${key}: ${mention}`);
    }
  });

  it("OAuthApplication: every other input has a row, and nothing else does", () => {
    const documented = rowsOf("## `OAuthApplication(name, args, opts?)`").flatMap((row) => row.inputs);
    // The inputs the runtime takes, but the default name the program sets; and the start of that name.
    const inputs = [...Object.keys(oauthApplicationShape).filter((input) => input !== "autoName"), "namePrefix"];
    assert.deepEqual([...documented].sort(), [...inputs].sort());
  });

  it("AlationClaudeConnector (and so AlationMcpConnector): the fields it passes on, with defaults and limits", () => {
    const rows = rowsOf("## `AlationClaudeConnector(name, args, opts?)`");
    for (const [option, field] of Object.entries(APPLICATION_OPTIONS)) {
      const row = rows.find((candidate) => candidate.inputs[0] === option);
      assert.ok(row, `${option}: a row`);
      if (!(field in APPLICATION_FIELD_TABLE)) continue;
      const key = field as ApplicationFieldKey;
      const value = facts(key).default;
      if (value !== undefined) assert.ok(row.cells[1].startsWith(documentedDefault(value)), `${option}: default`);
      for (const mention of requiredMentions(key)) assert.ok(row.cells[2].includes(mention), `${option}: ${mention}`);
    }
  });
});
