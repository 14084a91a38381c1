// The sample application's gen-dump configuration: where its database is, which
// version it is at (version.json, which an upgrade changes), and its migrations.
import { defineConfig } from "gen-dump";

export default defineConfig({
  db: "app.sqlite3",
  versionFrom: { file: "version.json" },
  migrations: "migrations.ts",
});
