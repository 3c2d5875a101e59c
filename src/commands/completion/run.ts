import type { Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import { writeOutput, type IO } from '../../output/io.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** One option as the completion scripts need it. */
export interface OptionSpec {
  short?: string;
  long?: string;
  description: string;
  takesValue: boolean;
  choices?: string[];
}

/** One command of the tree: `key` is its full path ("wixq products list"), the scripts' lookup key. */
export interface CommandSpec {
  key: string;
  name: string;
  aliases: string[];
  description: string;
  subcommands: CommandSpec[];
  /** This command's own options (help included). */
  options: OptionSpec[];
  /** Options of the commands above it, accepted here too (global flags). */
  inherited: OptionSpec[];
  /** Choices of the first argument, when it has some (completion bash|zsh|fish). */
  argChoices?: string[];
}

/** Walks the commander program (visible commands and options only), so the scripts never go stale. */
export function describeProgram(program: Command): CommandSpec {
  return describe(program, program.name(), []);
}

function describe(command: Command, key: string, inherited: OptionSpec[]): CommandSpec {
  const help = command.createHelp();
  const own = help.visibleOptions(command).map(optionSpec);
  const passedDown = [...inherited, ...command.options.filter((o) => !o.hidden && o.long !== '--version' && o.long !== '--help').map(optionSpec)];
  const choices = command.registeredArguments[0]?.argChoices;
  return {
    key,
    name: command.name(),
    aliases: command.aliases(),
    description: command.description(),
    subcommands: help.visibleCommands(command).map((sub) => describe(sub, `${key} ${sub.name()}`, passedDown)),
    options: own,
    inherited,
    ...(choices && choices.length > 0 && { argChoices: [...choices] }),
  };
}

function optionSpec(option: Option): OptionSpec {
  return {
    ...(option.short && { short: option.short }),
    ...(option.long && { long: option.long }),
    description: option.description,
    takesValue: option.required || option.optional,
    ...(option.argChoices && option.argChoices.length > 0 && { choices: [...option.argChoices] }),
  };
}

function allCommands(root: CommandSpec): CommandSpec[] {
  return [root, ...root.subcommands.flatMap(allCommands)];
}

function flagsOf(option: OptionSpec): string[] {
  return [option.short, option.long].filter((f): f is string => f !== undefined);
}

function optionsAt(node: CommandSpec): OptionSpec[] {
  return [...node.options, ...node.inherited];
}

/** The completion script for a shell. */
export function completionScript(shell: Shell, program: Command): string {
  const root = describeProgram(program);
  switch (shell) {
    case 'bash':
      return bashScript(root);
    case 'zsh':
      return zshScript(root);
    case 'fish':
      return fishScript(root);
  }
}

/** `wixq completion <shell>`: prints the script on stdout. */
export async function runCompletion(shell: string, program: Command, io: IO): Promise<void> {
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(`unknown shell "${shell}"`, { hint: `Use one of ${SHELLS.join(', ')}.` });
  }
  await writeOutput(io.out, completionScript(shell as Shell, program));
}

/** A single-quoted word for bash and zsh. */
function sq(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A single-quoted word for fish (which knows \' and \\ inside single quotes). */
function fq(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** One line: first sentence of a description, for menus. */
function short(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The lookup functions both bash and zsh scripts use: case statements keyed by command path. */
function shellTables(prefix: string, root: CommandSpec, withDescriptions: boolean): string[] {
  const nodes = allCommands(root);
  const lines: string[] = [];
  const casefn = (name: string, comment: string, arms: Array<[string, string]>, fallback?: string, subject = '"$1"'): void => {
    lines.push(`# ${comment}`, `${prefix}_${name}() {`, `  case ${subject} in`);
    for (const [pattern, body] of arms) lines.push(`    ${pattern}) ${body} ;;`);
    if (fallback) lines.push(`    *) ${fallback} ;;`);
    lines.push('  esac', '}', '');
  };
  const list = (words: string[]): string => (withDescriptions ? `print -rl -- ${words.map(sq).join(' ')}` : `echo ${sq(words.join(' '))}`);

  casefn(
    'commands',
    withDescriptions ? 'Subcommands of a command path, as name:description.' : 'Subcommands (and aliases) of a command path.',
    nodes
      .filter((n) => n.subcommands.length > 0)
      .map((n) => [
        sq(n.key),
        list(withDescriptions ? n.subcommands.map((c) => `${c.name}:${short(c.description)}`) : n.subcommands.flatMap((c) => [c.name, ...c.aliases])),
      ]),
  );
  if (withDescriptions) {
    casefn(
      'command_names',
      'Subcommand names and aliases of a command path.',
      nodes.filter((n) => n.subcommands.length > 0).map((n) => [sq(n.key), `print -rl -- ${n.subcommands.flatMap((c) => [c.name, ...c.aliases]).map(sq).join(' ')}`]),
    );
  }
  casefn(
    'canonical',
    'An alias path mapped to the command it names.',
    nodes.flatMap((n) => n.subcommands.flatMap((c) => c.aliases.map((a): [string, string] => [sq(`${n.key} ${a}`), `echo ${sq(c.key)}`]))),
    'echo "$1"',
  );
  casefn(
    'options',
    withDescriptions ? 'Options of a command path (its own and the global ones), as flag:description.' : 'Options of a command path (its own and the global ones).',
    nodes.map((n) => [
      sq(n.key),
      list(withDescriptions ? optionsAt(n).flatMap((o) => flagsOf(o).map((f) => `${f}:${short(o.description)}`)) : optionsAt(n).flatMap(flagsOf)),
    ]),
  );
  casefn(
    'value_options',
    'Options that take a value (the next word is that value).',
    nodes.map((n) => [sq(n.key), list(optionsAt(n).filter((o) => o.takesValue).flatMap(flagsOf))]),
  );
  const valueArms: Array<[string, string]> = [];
  for (const n of nodes) {
    for (const o of n.options) {
      if (o.choices) valueArms.push([flagsOf(o).map((f) => sq(`${n.key}|${f}`)).join('|'), list(o.choices)]);
    }
  }
  // Global options mean the same after any subcommand: one arm each, after the specific ones.
  for (const o of root.subcommands[0]?.inherited ?? []) {
    if (o.choices) valueArms.push([flagsOf(o).map((f) => `*${sq(`|${f}`)}`).join('|'), list(o.choices)]);
  }
  casefn('option_values', 'The values an option accepts, by "path|flag".', valueArms, undefined, '"$1|$2"');
  casefn(
    'argument_values',
    'The values a command\'s first argument accepts.',
    nodes.filter((n) => n.argChoices).map((n) => [sq(n.key), list(n.argChoices!)]),
  );
  return lines;
}

function bashScript(root: CommandSpec): string {
  const p = `__${root.name}`;
  return [
    `# bash completion for ${root.name}, generated by \`${root.name} completion bash\` from the installed version.`,
    '# Install: ' + `${root.name} completion bash > ~/.local/share/bash-completion/completions/${root.name}`,
    `#     or add to ~/.bashrc: eval "$(${root.name} completion bash)"`,
    '',
    ...shellTables(p, root, false),
    `_${root.name}() {`,
    `  local cur="\${COMP_WORDS[COMP_CWORD]}" cmdpath=${sq(root.key)} word opt i expect=0`,
    '  COMPREPLY=()',
    '  # Walk the words before the cursor: skip options and their values, descend into subcommands.',
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    word="${COMP_WORDS[i]}"',
    '    if ((expect)); then',
    '      # With "=" in COMP_WORDBREAKS, --output=json arrives as three words.',
    '      expect=0; [[ "$word" == "=" ]] && expect=1',
    '      continue',
    '    fi',
    '    case "$word" in',
    '      --*=*) continue ;;',
    `      -*) [[ " $(${p}_value_options "$cmdpath") " == *" $word "* ]] && expect=1; continue ;;`,
    '    esac',
    `    if [[ " $(${p}_commands "$cmdpath") " == *" $word "* ]]; then cmdpath="$(${p}_canonical "$cmdpath $word")"; fi`,
    '  done',
    '  if ((expect)); then',
    '    opt="${COMP_WORDS[COMP_CWORD-1]}"',
    '    local prefix=""',
    '    if [[ "$cur" == "=" ]]; then prefix="="; cur=""; elif [[ "$opt" == "=" ]]; then opt="${COMP_WORDS[COMP_CWORD-2]}"; fi',
    `    COMPREPLY=($(compgen -P "$prefix" -W "$(${p}_option_values "$cmdpath" "$opt")" -- "$cur"))`,
    '    ((${#COMPREPLY[@]})) || compopt -o default 2>/dev/null',
    '    return 0',
    '  fi',
    '  case "$cur" in',
    `    --*=*) COMPREPLY=($(compgen -P "\${cur%%=*}=" -W "$(${p}_option_values "$cmdpath" "\${cur%%=*}")" -- "\${cur#*=}")); return 0 ;;`,
    `    -*) COMPREPLY=($(compgen -W "$(${p}_options "$cmdpath")" -- "$cur")); return 0 ;;`,
    '  esac',
    `  local commands; commands="$(${p}_commands "$cmdpath")"`,
    '  if [[ -n "$commands" ]]; then',
    '    COMPREPLY=($(compgen -W "$commands" -- "$cur"))',
    '  else',
    `    COMPREPLY=($(compgen -W "$(${p}_argument_values "$cmdpath")" -- "$cur"))`,
    '    ((${#COMPREPLY[@]})) || compopt -o default 2>/dev/null',
    '  fi',
    '  return 0',
    '}',
    `complete -F _${root.name} ${root.name}`,
    '',
  ].join('\n');
}

function zshScript(root: CommandSpec): string {
  const p = `__${root.name}`;
  return [
    `#compdef ${root.name}`,
    `# zsh completion for ${root.name}, generated by \`${root.name} completion zsh\` from the installed version.`,
    `# Install: ${root.name} completion zsh > "\${fpath[1]}/_${root.name}"   (or in ~/.zshrc: source <(${root.name} completion zsh))`,
    '',
    ...shellTables(p, root, true),
    `_${root.name}() {`,
    // Not "path": in zsh that name is tied to $PATH.
    `  local cmdpath=${sq(root.key)} word cur i expect=0`,
    '  local -a names values',
    '  for ((i = 2; i < CURRENT; i++)); do',
    '    word="${words[i]}"',
    '    if ((expect)); then expect=0; continue; fi',
    '    case "$word" in',
    '      --*=*) continue ;;',
    `      -*) names=(\${(f)"$(${p}_value_options "$cmdpath")"}); (( \${names[(Ie)$word]} )) && expect=1; continue ;;`,
    '    esac',
    `    names=(\${(f)"$(${p}_command_names "$cmdpath")"})`,
    `    (( \${names[(Ie)$word]} )) && cmdpath="$(${p}_canonical "$cmdpath $word")"`,
    '  done',
    '  cur="${words[CURRENT]}"',
    '  if ((expect)); then',
    `    values=(\${(f)"$(${p}_option_values "$cmdpath" "\${words[CURRENT-1]}")"})`,
    '    if ((${#values})); then compadd -a values; else _files; fi',
    '    return',
    '  fi',
    '  if [[ "$cur" == --*=* ]]; then',
    `    values=(\${(f)"$(${p}_option_values "$cmdpath" "\${cur%%=*}")"})`,
    "    compset -P '*='",
    '    if ((${#values})); then compadd -a values; else _files; fi',
    '    return',
    '  fi',
    '  if [[ "$cur" == -* ]]; then',
    `    values=(\${(f)"$(${p}_options "$cmdpath")"})`,
    "    _describe -t options 'option' values",
    '    return',
    '  fi',
    `  values=(\${(f)"$(${p}_commands "$cmdpath")"})`,
    "  if ((${#values})); then _describe -t commands 'command' values; return; fi",
    `  values=(\${(f)"$(${p}_argument_values "$cmdpath")"})`,
    '  if ((${#values})); then compadd -a values; else _files; fi',
    '}',
    '',
    '# Autoloaded from $fpath the file is the function body; sourced, it registers itself.',
    `if [[ "\${funcstack[1]}" == "_${root.name}" ]]; then _${root.name} "$@"; else compdef _${root.name} ${root.name}; fi`,
    '',
  ].join('\n');
}

function fishScript(root: CommandSpec): string {
  const p = `__${root.name}`;
  const nodes = allCommands(root);
  const lines: string[] = [
    `# fish completion for ${root.name}, generated by \`${root.name} completion fish\` from the installed version.`,
    `# Install: ${root.name} completion fish > ~/.config/fish/completions/${root.name}.fish`,
    '',
    '# Subcommand names and aliases of a command path.',
    `function ${p}_commands`,
    '    switch $argv[1]',
  ];
  for (const n of nodes.filter((x) => x.subcommands.length > 0)) {
    lines.push(`        case ${fq(n.key)}`, `            printf '%s\\n' ${n.subcommands.flatMap((c) => [c.name, ...c.aliases]).map(fq).join(' ')}`);
  }
  lines.push('    end', 'end', '', '# An alias path mapped to the command it names.', `function ${p}_canonical`, '    switch $argv[1]');
  for (const n of nodes) for (const c of n.subcommands) for (const a of c.aliases) lines.push(`        case ${fq(`${n.key} ${a}`)}`, `            echo ${fq(c.key)}`);
  lines.push("        case '*'", '            echo $argv[1]', '    end', 'end', '');
  lines.push('# Options that take a value (the next word is that value).', `function ${p}_value_options`, '    switch $argv[1]');
  for (const n of nodes) {
    const flags = optionsAt(n).filter((o) => o.takesValue).flatMap(flagsOf);
    if (flags.length > 0) lines.push(`        case ${fq(n.key)}`, `            printf '%s\\n' ${flags.map(fq).join(' ')}`);
  }
  lines.push(
    '    end',
    'end',
    '',
    '# The command path the words before the cursor lead to.',
    `function ${p}_path`,
    '    set -l words (commandline -opc)',
    '    set -e words[1]',
    `    set -l cmdpath ${fq(root.key)}`,
    '    set -l expect 0',
    '    for word in $words',
    '        if test $expect -eq 1',
    '            set expect 0',
    '            continue',
    '        end',
    '        switch $word',
    "            case '--*=*'",
    '                continue',
    "            case '-*'",
    `                if contains -- $word (${p}_value_options $cmdpath)`,
    '                    set expect 1',
    '                end',
    '                continue',
    '        end',
    `        if contains -- $word (${p}_commands $cmdpath)`,
    `            set cmdpath (${p}_canonical "$cmdpath $word")`,
    '        end',
    '    end',
    '    echo $cmdpath',
    'end',
    '',
    `function ${p}_at`,
    `    test (${p}_path) = "$argv[1]"`,
    'end',
    '',
    `complete -c ${root.name} -f`,
  );
  const optionLine = (o: OptionSpec, condition?: string): string => {
    const parts = [`complete -c ${root.name}`];
    if (condition) parts.push(`-n ${fq(`${p}_at ${fq(condition)}`)}`);
    if (o.short) parts.push(`-s ${o.short.replace(/^-/, '')}`);
    if (o.long) parts.push(`-l ${o.long.replace(/^--/, '')}`);
    if (o.choices) parts.push(`-x -a ${fq(o.choices.join(' '))}`);
    else if (o.takesValue) parts.push('-r');
    parts.push(`-d ${fq(short(o.description))}`);
    return parts.join(' ');
  };
  // Global options are accepted after any subcommand: no condition.
  lines.push('', '# Global options.');
  for (const o of root.options.filter((x) => x.long !== '--version' && x.long !== '--help')) lines.push(optionLine(o));
  for (const n of nodes) {
    lines.push('', `# ${n.key}`);
    for (const c of n.subcommands) lines.push(`complete -c ${root.name} -n ${fq(`${p}_at ${fq(n.key)}`)} -a ${fq(c.name)} -d ${fq(short(c.description))}`);
    const own = n === root ? n.options.filter((x) => x.long === '--version' || x.long === '--help') : n.options;
    for (const o of own) lines.push(optionLine(o, n.key));
    if (n.argChoices) lines.push(`complete -c ${root.name} -n ${fq(`${p}_at ${fq(n.key)}`)} -a ${fq(n.argChoices.join(' '))}`);
    // Free arguments (paths, files for --data @file) complete as files.
    if (n.subcommands.length === 0 && !n.argChoices) lines.push(`complete -c ${root.name} -n ${fq(`${p}_at ${fq(n.key)}`)} -F`);
  }
  lines.push('');
  return lines.join('\n');
}
