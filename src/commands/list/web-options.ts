import type { Command } from 'commander';

/** Adds `--web` and `--no-browser` to a noun's `get`: open the item's page on the site, as `gh … --web` does. */
export function addWebOptions(group: Command, singular: string): void {
  const get = group.commands.find((c) => c.name() === 'get')!;
  get.option('--web', `open the ${singular}'s page on the site in the browser (WIXQ_BROWSER or BROWSER names the browser)`);
  get.option('--no-browser', 'with --web: print the page URL on stdout instead of opening it (also what happens without a display)');
}
