/** The Examples block every command's help ends with (each line is run by the examples test). */
export function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
