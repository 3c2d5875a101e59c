import { Option, type Command } from 'commander';
import type { CommandContext } from '../../context.js';
import type { IO } from '../../output/io.js';
import { examples } from '../help.js';
import { withContext } from '../with-context.js';
import { addListFlags, type ListFlags } from './flags.js';

/** How a noun's list and get commands are declared: the resource is picked at run time (Catalog V1 or V3). */
export interface ResourceCommandSpec {
  noun: string;
  singular: string;
  description: string;
  listExamples: string[];
  getExamples: string[];
  /** Extra options on both subcommands (e.g. --catalog). */
  extraOptions?: (command: Command) => Command;
  /** Extra options of `list` only (e.g. --search). */
  listOptions?: (command: Command) => Command;
  /** More help after the list examples (e.g. the fields a list can filter and sort on); a function runs when help is shown. */
  listHelp?: string | (() => string);
}

/** The --catalog option of the Stores nouns. */
export const catalogOption = (command: Command): Command =>
  command.addOption(new Option('--catalog <version>', 'Stores catalog version (default: detected per site and cached; a V1 answer for an hour)').choices(['v1', 'v3']));

/** Registers `<noun> list` and `<noun> get <id|slug>`; the work is imported lazily when they run. */
export function registerResourceCommands(program: Command, io: IO, spec: ResourceCommandSpec): Command {
  const group = program.command(spec.noun).description(spec.description);
  group.addHelpText('after', examples([...spec.listExamples.slice(0, 2), ...spec.getExamples.slice(0, 1)]));
  const extra = spec.extraOptions ?? ((c: Command) => c);

  const listOnly = spec.listOptions ?? ((c: Command) => c);
  const list = listOnly(extra(addListFlags(group.command('list').alias('ls').description(`list ${spec.noun}`))));
  const listHelp = spec.listHelp;
  list.addHelpText('after', () => examples(spec.listExamples) + (typeof listHelp === 'function' ? listHelp() : (listHelp ?? '')));
  list.action(async (flags: ListFlags, command: Command) => {
    const [{ parseListFlags }, { runList }] = await Promise.all([import('./parse.js'), import('./run.js')]);
    const options = parseListFlags(flags);
    await withContext(io, command, (ctx: CommandContext) => runList(spec.noun, options, ctx));
  });

  const get = extra(
    group
      .command('get')
      .description(`show one ${spec.singular} by ID or slug`)
      .argument('<id|slug>', `the ${spec.singular}'s ID or slug`)
      .option('--fields <paths>', 'fields to show (a,b.c)'),
  );
  get.addHelpText('after', examples(spec.getExamples));
  get.action(async (idOrSlug: string, flags: { fields?: string; web?: boolean; browser?: boolean; catalog?: string }, command: Command) => {
    const [{ parseGetFlags }, { runGet }] = await Promise.all([import('./parse.js'), import('./run.js')]);
    // --fields is checked when the command runs, after --web's own checks (as before).
    await withContext(io, command, (ctx: CommandContext) => runGet(spec.noun, idOrSlug, parseGetFlags(flags), ctx));
  });
  return group;
}
