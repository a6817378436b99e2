// The application of Alation's Claude connector guide, as ApplicationFields: the values the tests expect by default.
import type { ApplicationFields } from "../../provider/domain/application-store";

/** The guide's settings, without a name or redirect URIs. */
export const GUIDE_SETTINGS = {
  clientType: "confidential",
  accessTokenExpiry: 86400,
  refreshTokenExpiry: 15552000,
  pkceRequired: true,
  jwtRequired: true,
  isActive: true,
  internalApplication: false,
} as const;

/** A whole application with the guide's settings. */
export function guideApplication(overrides: Partial<ApplicationFields> = {}): ApplicationFields {
  return {
    name: "claude-connector",
    redirectUris: ["https://claude.ai/api/mcp/auth_callback"],
    ...GUIDE_SETTINGS,
    ...overrides,
  };
}
