// The small, canned catalogue the emulated MCP tools answer from.

export interface CatalogTable {
  id: number;
  title: string;
  name: string;
  data_source_id: number;
  description: string;
  columns: string[];
}

export const DATA_SOURCES = [
  { id: 1, title: "Sales Warehouse", dbtype: "snowflake", description: "Orders, customers and revenue." },
  { id: 2, title: "Marketing Lake", dbtype: "databricks", description: "Campaigns and web analytics." },
];

export const TABLES: CatalogTable[] = [
  {
    id: 101,
    title: "Orders",
    name: "SALES.PUBLIC.ORDERS",
    data_source_id: 1,
    description: "One row per customer order.",
    columns: ["ORDER_ID", "CUSTOMER_ID", "ORDER_DATE", "AMOUNT"],
  },
  {
    id: 102,
    title: "Customers",
    name: "SALES.PUBLIC.CUSTOMERS",
    data_source_id: 1,
    description: "Customer master data.",
    columns: ["CUSTOMER_ID", "NAME", "REGION"],
  },
  {
    id: 103,
    title: "Monthly revenue",
    name: "SALES.MART.REVENUE_MONTHLY",
    data_source_id: 1,
    description: "Revenue per month and region, built from Orders.",
    columns: ["MONTH", "REGION", "REVENUE"],
  },
  {
    id: 201,
    title: "Campaigns",
    name: "marketing.campaigns",
    data_source_id: 2,
    description: "Marketing campaigns and their spend.",
    columns: ["campaign_id", "name", "spend"],
  },
];

export const DATA_PRODUCTS = [
  {
    product_id: "finance:revenue",
    name: "Revenue",
    description: "Certified monthly revenue by region.",
    tables: [103],
  },
  {
    product_id: "sales:orders",
    name: "Orders",
    description: "Every customer order with its customer.",
    tables: [101, 102],
  },
];

/** Lineage edges: upstream table id -> downstream table id. */
export const LINEAGE: Array<[number, number]> = [
  [101, 103],
  [102, 103],
];

/** Tables whose title, name or description shares a word (of 3+ letters) with the question. */
export function tablesMatching(question: string): CatalogTable[] {
  const words = question.toLowerCase().match(/[a-z0-9_]{3,}/g) ?? [];
  return TABLES.filter((t) => {
    const text = `${t.title} ${t.name} ${t.description}`.toLowerCase();
    return words.some((w) => text.includes(w.replace(/s$/, "")));
  });
}
