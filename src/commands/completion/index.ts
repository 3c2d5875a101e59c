import { Argument, type Command } from 'commander';
import type { IO } from '../../output/io.js';
import { examples } from '../help.js';

/** Registers `wixq completion bash|zsh|fish`; it reads only the commander tree (no settings, no SDK). */
export function registerCompletion(program: Command, io: IO): void {
  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish), generated from this version\'s commands')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      examples([
        'wixq completion bash > ~/.local/share/bash-completion/completions/wixq',
        'echo \'eval "$(wixq completion bash)"\' >> ~/.bashrc',
        'wixq completion zsh > "${fpath[1]}/_wixq"',
        'wixq completion fish > ~/.config/fish/completions/wixq.fish',
      ]),
    )
    .action(async (shell: string, _flags: unknown, command: Command) => {
      const { runCompletion } = await import('./run.js');
      let root = command;
      while (root.parent) root = root.parent;
      await runCompletion(shell, root, io);
    });
}
