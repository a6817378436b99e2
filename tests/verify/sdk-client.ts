// The MCP TypeScript SDK's own OAuth client (what reference MCP clients run), pointed at a tenant: it connects,
// meets the 401, discovers the authorization server and builds the authorize URL, exactly as it would for a
// user. Tests compare its verdict with the verifier's, so that the two cannot drift apart unnoticed.
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { OAuthError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import { CLAUDE_REDIRECT_URIS, type FetchFn } from "../../provider/verify";

/** What the SDK client did with the tenant. */
export type SdkVerdict =
  | { verdict: "proceeds"; authorizationUrl: URL; transport: StreamableHTTPClientTransport }
  | { verdict: "refuses"; error: Error };

/** A pre-registered confidential client, as a Claude connector is configured. */
function staticClient(clientId: string, clientSecret: string) {
  let authorizationUrl: URL | undefined;
  let verifier = "";
  const provider: OAuthClientProvider = {
    redirectUrl: CLAUDE_REDIRECT_URIS[0],
    clientMetadata: { redirect_uris: [CLAUDE_REDIRECT_URIS[0]], client_name: "sdk-reference-client" },
    clientInformation: () => ({ client_id: clientId, client_secret: clientSecret }),
    tokens: () => undefined,
    saveTokens: () => undefined,
    redirectToAuthorization: (url) => {
      authorizationUrl = url;
    },
    saveCodeVerifier: (value) => {
      verifier = value;
    },
    codeVerifier: () => verifier,
  };
  return { provider, authorizationUrl: () => authorizationUrl };
}

/** Connects the SDK client to `mcpUrl`: it proceeds when it gets as far as sending the user to log in. */
export async function sdkClientVerdict(
  mcpUrl: string,
  fetch: FetchFn,
  client: { clientId: string; clientSecret: string },
): Promise<SdkVerdict> {
  const { provider, authorizationUrl } = staticClient(client.clientId, client.clientSecret);
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider, fetch });
  const sdk = new Client({ name: "sdk-reference-client", version: "1" });
  try {
    await sdk.connect(transport);
  } catch (error) {
    const url = authorizationUrl();
    if (error instanceof UnauthorizedError && url) return { verdict: "proceeds", authorizationUrl: url, transport };
    return { verdict: "refuses", error: error as Error };
  }
  throw new Error("the SDK client connected without logging in");
}

/**
 * After the SDK proceeded: exchanges a made-up code the way the SDK chooses to authenticate its client. Gives
 * the OAuth error: invalid_grant means the client authenticated (and only the code was wrong).
 */
export async function sdkExchangeError(proceeding: Extract<SdkVerdict, { verdict: "proceeds" }>): Promise<string> {
  try {
    await proceeding.transport.finishAuth("made-up-code");
  } catch (error) {
    if (error instanceof OAuthError) return error.errorCode;
    throw error;
  }
  throw new Error("a made-up code was accepted");
}
