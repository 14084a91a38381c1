import { createInterface } from "node:readline";

/**
 * Ask a yes/no question on stderr and read the answer from stdin. Only `y` or `yes`
 * counts as yes; end of input (no terminal, a closed pipe) counts as no.
 */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  process.stderr.write(`${question} [y/N] `);
  try {
    const answer = await new Promise<string | null>((resolve) => {
      rl.once("line", (line) => resolve(line));
      rl.once("close", () => resolve(null));
    });
    if (answer === null) process.stderr.write("\n");
    return answer !== null && /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}
