// What a tenant's stack config holds for the per-tenant program: shared by the fleet, which writes it
// (tenant-stack.ts), and the program, which reads it (program/index.ts) and loads nothing else of the fleet.
import type { McpClient } from "../domain/mcp-clients";
import type { FleetConnector } from "./connector-schema";

/** The stack config key (in the project's namespace) that holds the tenant's inputs. */
export const TENANT_CONFIG_KEY = "tenant";

/** The tenant's inputs: its address, its connector inputs as the fleet file gives them, and its MCP clients. */
export interface StackTenantConfig {
  baseUrl: string;
  connector: FleetConnector;
  clients: McpClient[];
}
