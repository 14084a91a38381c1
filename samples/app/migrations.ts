/**
 * The sample application's migrations: how data of each version becomes data of the
 * next. gen-dump runs the steps between a dump's version and the application's.
 */
import { defineMigrations } from "gen-dump/migrate";

/** "Ada Lovelace" → "ada-lovelace". */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export default defineMigrations({
  versions: ["1", "2"],
  steps: {
    "2": (m) => {
      // A rename: customer is now client, its nm column is name.
      m.renameTable("customer", "client");
      m.renameColumn("client", "nm", "name");
      // A computed column: the slug of the name.
      m.addColumn("client", "slug", { type: "text", notNull: true, value: (row) => slugify(String(row.name)) });
      // A split: the address columns move to a table of their own.
      m.createTable("address", {
        columns: {
          id: { type: "integer", notNull: true },
          client_id: { type: "integer", notNull: true },
          street: { type: "text" },
          city: { type: "text" },
        },
        primaryKey: ["id"],
        references: { client_id: { table: "client" } },
      });
      m.replaceRows("client", ({ street, city, ...client }) => [
        { table: "client", row: client },
        ...(street !== null || city !== null ? [{ table: "address", row: { id: client.id, client_id: client.id, street, city } }] : []),
      ]);
      m.dropColumn("client", "street");
      m.dropColumn("client", "city");
      m.renameColumn("orders", "customer_id", "client_id");
    },
  },
});
