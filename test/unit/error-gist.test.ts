import { describe, expect, it } from "vitest";
import { errorGist } from "../../src/errors.ts";

describe("errorGist: one line of an error for a one-paragraph report", () => {
  it("keeps the first line", () => {
    expect(errorGist(new Error("Cannot find module x\n    at y"))).toBe("Cannot find module x");
  });
  it("adds the next line when the first only announces it", () => {
    const esbuild = new Error("Transform failed with 1 error:\n/d/data/t.ts:3:7: ERROR: Expected \"]\" but found \"oops\"\n");
    expect(errorGist(esbuild)).toBe('Transform failed with 1 error: /d/data/t.ts:3:7: ERROR: Expected "]" but found "oops"');
  });
  it("names what is not an Error", () => {
    expect(errorGist("boom")).toBe("boom");
  });
});
