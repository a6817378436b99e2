// Names that people read: an application's name in Alation's list, a connector's name in Claude's. They hold no
// control character (a newline or an ESC breaks or restyles the line a name is shown in; PostgreSQL, behind Alation's
// Django, cannot store NUL) and no bidirectional embedding, override or isolate, which makes a name display as
// another (a spoof: "Trojan Source", CVE-2021-42574). The one definition of these characters: the application's
// schema and the connector components both judge names by it.

/** What a readable name must not hold: C0 and C1 controls, DEL, and the bidi controls U+202A-U+202E, U+2066-U+2069. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
export const UNREADABLE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Why `value` cannot be a name that people read, naming `field` and the first such character; else undefined. */
export function unreadableNameProblem(field: string, value: string): string | undefined {
  const found = UNREADABLE_CHARACTER.exec(value);
  if (!found) return undefined;
  const code = `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
  return (
    `${field} must not hold control characters (newline, tab, NUL, ESC, ...) or bidirectional overrides ` +
    `(U+202A-U+202E, U+2066-U+2069): it holds ${code} at character ${found.index + 1}`
  );
}
