// Claude's "Add custom connector" wizard as of late 2026: where it is, its two steps, the choices of step 2, and which
// output of a connector goes in which field. The one place for these words: the README (tests/docs), `npm start`,
// verify's closing lines and steps, and the claude preset's clientConfig read them. Sources: ../shared/alation-api.md
// section 8, cited below as the code cites them. No Pulumi, no HTTP.

/** Where each fact of the wizard comes from. */
export const CLAUDE_WIZARD_SOURCES = {
  /** Customize > Connectors, "+", Add custom connector. */
  where: "help.boomi.com Connect_claude_setup",
  /** The two steps, the choices of step 2, "None" detected for a server that answers without credentials. */
  wizard: "homeassistant-ai/ha-mcp pull request 2352; erp-mafia/accounted pull request 1914",
  /** Claude strips the trailing slash of the server URL and fails on a redirect ("Couldn't reach ..."). */
  strippedSlash: "anthropics/claude-ai-mcp issues 234 and 1056",
  /** Claude does not follow a 301 on POST. */
  noRedirectOnPost: "yukiharada1228/videoq pull request 772",
  /** CIMD, else DCR, else the client id and secret typed in: Claude's order. */
  registration: "claude.com/docs/connectors/building/authentication",
} as const;

/** The page where connectors are added. */
export const CLAUDE_CONNECTORS_PAGE = "https://claude.ai/customize/connectors";

/** The clicks to the wizard. */
export const CLAUDE_WIZARD_PATH = "Customize > Connectors > + > Add custom connector";

/** Step 2's Authentication choices. */
export const AUTHENTICATION_CHOICES = {
  always: "Always required",
  whenAsked: "Required when the server asks",
  none: "None",
} as const;

/** Step 2's OAuth client choices. */
export const OAUTH_CLIENT_CHOICES = {
  cimd: "Anthropic's hosted client metadata (CIMD)",
  dcr: "register one automatically (DCR)",
  own: "your own client ID",
} as const;

/**
 * What to pick for Alation: an authentication that signs in (Alation's MCP server answers nothing without a token,
 * so "Always required"), and the application's own client id, as Alation has neither CIMD nor DCR.
 */
export const ALATION_CHOICES = { authentication: AUTHENTICATION_CHOICES.always, oauthClient: OAUTH_CLIENT_CHOICES.own };

/** The wizard's fields, by the connector output that fills each. The sources do not say which step asks the name. */
export const WIZARD_FIELDS = {
  remoteMcpServerUrl: { step: "step 1", label: "URL" },
  clientId: { step: "step 2", label: "Client ID" },
  clientSecret: { step: "step 2", label: "Client secret" },
  connectorName: { step: "name", label: "Name" },
} as const;

/** The values the walk shows; the secret as the caller may show it (never the secret itself, unless asked for). */
export interface WizardValues {
  /** The Name (undefined: the user picks one). */
  connectorName?: string;
  remoteMcpServerUrl: string;
  clientId: string;
  /** The secret's stand-in, e.g. `[secret] (npm start -- --show-secret)`, or the secret when the user asked. */
  clientSecret: string;
}

/** The walk through the wizard, one line each: where to click, which step, which choice, which value in which field. */
export function wizardWalk(values: WizardValues): string[] {
  const row = (step: string, label: string, value: string) => `  ${step.padEnd(6)}  ${`${label}:`.padEnd(16)} ${value}`;
  return [
    `Claude: ${CLAUDE_WIZARD_PATH} (${CLAUDE_CONNECTORS_PAGE})`,
    row(WIZARD_FIELDS.remoteMcpServerUrl.step, WIZARD_FIELDS.remoteMcpServerUrl.label, values.remoteMcpServerUrl),
    row("step 2", "Authentication", ALATION_CHOICES.authentication),
    row("", "OAuth client", ALATION_CHOICES.oauthClient),
    row("", WIZARD_FIELDS.clientId.label, values.clientId),
    row("", WIZARD_FIELDS.clientSecret.label, values.clientSecret),
    row(
      WIZARD_FIELDS.connectorName.step,
      WIZARD_FIELDS.connectorName.label,
      `${values.connectorName ?? "a name of your choice"} (if asked)`,
    ),
  ];
}

/** The claude preset's clientConfig, as the README's MCP clients table describes it: the same four outputs. */
export const WIZARD_FORMAT =
  `the wizard's fields: \`remoteMcpServerUrl\` (${WIZARD_FIELDS.remoteMcpServerUrl.step}, ` +
  `${WIZARD_FIELDS.remoteMcpServerUrl.label}), \`clientId\` and \`clientSecret\` (step 2, ` +
  `"${ALATION_CHOICES.oauthClient}"), \`connectorName\` (${WIZARD_FIELDS.connectorName.label})`;
