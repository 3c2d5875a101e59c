/** The command names of a `--help` page's "Commands:" section (aliases after `|` dropped). */
export function commandsOf(help: string): string[] {
  const section = help.split(/\nCommands:\n/)[1]?.split(/\n\n/)[0] ?? '';
  return section
    .split('\n')
    .map((line) => /^ {2}(\S+)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined)
    .map((name) => name.split('|')[0]!);
}
