import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          include: ["test/unit/**/*.test.ts", "test/api/**/*.test.ts"],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
