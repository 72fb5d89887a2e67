import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./gateway/src/db/schema/index.ts",
  out: "./migrations",
});
