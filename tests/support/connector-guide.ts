// Alation's Claude connector guide in its own words: the Django script it has an admin run (alation-api.md section
// 5), and the application that script makes, as the tests expect it by default. The values are read from the script,
// not restated: an oracle of the provider's defaults that cannot drift into a copy of them.
import type { ApplicationFields } from "../../provider/domain/application-store";

/** The guide's own script, unchanged: it must run as it is in the emulator's alation_django_shell. */
export const GUIDE_SCRIPT = `import secrets
from api_authentication.models import Application
client_id = secrets.token_urlsafe(32)
client_secret = secrets.token_urlsafe(32)
app = Application.objects.create(
   name="alation-ai-hosted-mcp-server",
   client_id=client_id,
   client_secret=client_secret,
   client_type="confidential",
   redirect_uris=[
         "https://your-tenant.alationcloud.com/oauth/callback",
         "https://claude.ai/api/mcp/auth_callback",
         "https://claude.com/api/mcp/auth_callback"
         ],
   refresh_token_expiry=15552000,
   access_token_expiry=86400,
   is_active=True,
   pkce_required=True,
   jwt_required=True,
   internal_application=False
)
print(f"client_id: {client_id}")
print(f"client_secret: {client_secret}")
`;

type Literal = string | number | boolean;

/** The script's keyword arguments whose value is a literal: `name="..."`, `refresh_token_expiry=15552000`, `True`... */
const SCRIPT_LITERALS: Record<string, Literal> = Object.fromEntries(
  [...GUIDE_SCRIPT.matchAll(/^\s+(\w+)=("[^"]*"|\d+|True|False),?$/gm)].map(([, field, text]) => [
    field,
    literal(text),
  ]),
);

function literal(text: string): Literal {
  if (text.startsWith('"')) return text.slice(1, -1);
  return /^\d+$/.test(text) ? Number(text) : text === "True";
}

/** The guide's settings, without a name or redirect URIs: the script's other literals, in camelCase. */
export const GUIDE_SETTINGS = Object.fromEntries(
  Object.entries(SCRIPT_LITERALS)
    .filter(([field]) => field !== "name")
    .map(([field, value]) => [field.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase()), value]),
) as Omit<ApplicationFields, "name" | "redirectUris">;

/** A whole application with the guide's settings. */
export function guideApplication(overrides: Partial<ApplicationFields> = {}): ApplicationFields {
  return {
    name: "claude-connector",
    redirectUris: ["https://claude.ai/api/mcp/auth_callback"],
    ...GUIDE_SETTINGS,
    ...overrides,
  };
}

/** The guide's client as an admin API body (alation-api.md section 2), on tenant.example.com. */
export function guideClient(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: SCRIPT_LITERALS.name,
    client_type: SCRIPT_LITERALS.client_type,
    redirect_uris: [
      "https://tenant.example.com/oauth/callback",
      "https://claude.ai/api/mcp/auth_callback",
      "https://claude.com/api/mcp/auth_callback",
    ],
    access_token_expiry: SCRIPT_LITERALS.access_token_expiry,
    refresh_token_expiry: SCRIPT_LITERALS.refresh_token_expiry,
    pkce_required: SCRIPT_LITERALS.pkce_required,
    ...overrides,
  };
}
