import { IndentationText, NewLineKind, Project, QuoteKind, type SourceFile } from "ts-morph";

/**
 * One in-memory ts-morph project with pinned manipulation settings, so generated code
 * looks the same whatever the machine's defaults are.
 */
let project: Project | undefined;

export function templateSourceFile(name: string, text: string): SourceFile {
  project ??= new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      newLineKind: NewLineKind.LineFeed,
      quoteKind: QuoteKind.Double,
      useTrailingCommas: true,
      insertSpaceAfterOpeningAndBeforeClosingNonemptyBraces: true,
    },
  });
  return project.createSourceFile(`/${name}`, text, { overwrite: true });
}
