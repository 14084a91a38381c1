// gen-dump data module: one row per line, values in the order of the columns named below.
// Edit values freely (keep one row per line); `npx tsc -p ..` type-checks them against schema.ts.
import { rows, int, real, text, bool, blob, rawText } from "../dump-helpers.ts";
import type { Tables } from "../schema.ts";

export default rows<Tables["__TABLE__"]>("__TABLE__", ["__COLUMNS__"], [
]);

// The template must type-check on its own: these keep the tag imports used.
void [int, real, text, bool, blob, rawText];
