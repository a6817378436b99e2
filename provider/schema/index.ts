// zod schemas of the resources' inputs, Alation's rules, and Pulumi's `check` over them.
export * from "./check";
export * from "./connection";
export * from "./oauth-application";
export * from "./unknown";
export * from "./feature-flag";
export * from "./shell";
