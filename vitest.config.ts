import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 60000,
    hookTimeout: 120000,
    include: ["test/**/*.test.ts"],
  },
});
