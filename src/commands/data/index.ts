import { Option, type Command } from 'commander';
import type { CommandContext } from '../../context.js';
import type { IO } from '../../output/io.js';
import { docPath, examples } from '../help.js';
import { addListFlags } from '../list/flags.js';
import { withContext } from '../with-context.js';
import type { DataCountFlags, DataGetFlags, DataListFlags } from './parse.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const includeReferenced = (command: Command): Command =>
  command.option('--include-referenced <field>', 'a reference field whose referenced items come back in place of their IDs (repeatable)', collect);
const consistentRead = (command: Command): Command =>
  command.option('--consistent-read', "read from Wix's primary database: slower, but sees writes made a moment ago");

/** `wixq data items list|get|count` and `wixq data collections list|get`: the site's CMS (the Wix Data API). */
export function registerData(program: Command, io: IO): void {
  const data = program.command('data').description('the CMS: Wix Data collections and their items');
  data.addHelpText(
    'after',
    examples(['wixq data items list team', 'wixq data items list articles --include-referenced author --fields title,author.title', 'wixq data items count events-log']),
  );

  const items = data.command('items').description('items of a CMS collection');
  items.addHelpText('after', examples(['wixq data items list team', 'wixq data items get team <item ID>']));

  const list = consistentRead(
    includeReferenced(
      addListFlags(
        items.command('list').alias('ls').description('list the items of a collection').argument('<collectionId>', 'the collection ID (as the CMS shows it)'),
        'title~=part, views>500, _id in (a,b), _createdDate>=2024-02-01',
      )
        .option('--search <text>', "free text: the Data API's search across the item's text fields"),
    ),
  );
  list.addHelpText(
    'after',
    () => examples([
      'wixq data items list team',
      'wixq data items list articles --filter "title~=part" --filter "views>500" --sort -views --limit 5',
      'wixq data items list articles --include-referenced author --fields title,author.title',
      'wixq data items list events-log --all -o ndjson > events.ndjson',
      'wixq data items list team --search designer --fields _id,title,role',
      'wixq data items list articles --filter "_createdDate>=2024-02-01" --json',
      'wixq data items list team --filter "role notin (Developer,Designer)" -o csv',
    ]) +
      `
Fields: a CMS collection's structure is not enforced by Wix, so --filter and --sort take any field path as written
(\`_id\`, \`_createdDate\`, \`_updatedDate\`, \`_owner\` and the collection's own keys); Wix answers what it refuses (exit 2).
--filter operators: = != > >= < <= ^= (starts with) ~= (contains) $= (ends with) in notin has hasall, and FIELD / !FIELD
(exists / does not). A date compared with _createdDate or _updatedDate is sent as a date. See section 3.10 of
${docPath('reference.md')}.

Members-only collections: a visitor gets Wix's 403 (exit 4), or on some sites zero items; an empty answer to a
visitor says so on stderr. Log in to read them: wixq auth login.
`,
  );
  list.action(async (collectionId: string, flags: DataListFlags, command: Command) => {
    const [{ parseDataListFlags }, { runDataItemsList }] = await Promise.all([import('./parse.js'), import('./run.js')]);
    const options = parseDataListFlags(collectionId, flags);
    await withContext(io, command, (ctx: CommandContext) => runDataItemsList(options, ctx));
  });

  const get = consistentRead(
    includeReferenced(
      items
        .command('get')
        .description('show one item by ID')
        .argument('<collectionId>', 'the collection ID')
        .argument('<itemId>', "the item's _id")
        .option('--fields <paths>', 'fields to show (a,b.c)'),
    ),
  );
  get.addHelpText('after', examples(['wixq data items get team <item ID>', 'wixq data items get team <item ID> --json --consistent-read']));
  get.action(async (collectionId: string, itemId: string, flags: DataGetFlags, command: Command) => {
    const [{ parseDataGetFlags }, { runDataItemsGet }] = await Promise.all([import('./parse.js'), import('./run.js')]);
    const options = parseDataGetFlags(collectionId, itemId, flags);
    await withContext(io, command, (ctx: CommandContext) => runDataItemsGet(options, ctx));
  });

  const count = consistentRead(
    items
      .command('count')
      .description('count the items of a collection (those matching --filter)')
      .argument('<collectionId>', 'the collection ID')
      .option('--filter <expr>', 'filter, repeatable (all must hold), as for list', collect)
      .option('--query <json>', 'a raw Wix query object {"filter":…}, combined with --filter'),
  );
  count.addHelpText('after', examples(['wixq data items count events-log', 'wixq data items count articles --filter featured=true --json']));
  count.action(async (collectionId: string, flags: DataCountFlags, command: Command) => {
    const [{ parseDataCountFlags }, { runDataItemsCount }] = await Promise.all([import('./parse.js'), import('./run.js')]);
    const options = parseDataCountFlags(collectionId, flags);
    await withContext(io, command, (ctx: CommandContext) => runDataItemsCount(options, ctx));
  });

  const collections = data.command('collections').description('the CMS collections the caller may see');
  collections.addHelpText('after', examples(['wixq data collections get articles', 'wixq data collections list     (for the site\'s apps and admins; a visitor or member gets exit 4)']));
  const collectionsList = collections
    .command('list')
    .alias('ls')
    .description('list the collections: ID, name, fields and who may read them')
    .option('-L, --limit <n>', 'at most N collections (default 50)')
    .option('--all', 'every collection')
    .option('--offset <n>', 'skip N collections')
    .option('--fields <paths>', 'fields to show: table and CSV columns, JSON projection (a,b.c)')
    .addOption(new Option('--concurrency <n>', 'pages in flight with --all (default 4)').hideHelp());
  collectionsList.addHelpText(
    'after',
    () => examples(['wixq data collections list     (for the site\'s apps and admins; a visitor or member gets exit 4)']) +
      `
Wix answers this list only for the site's own apps and admins (section 12.6 of ${docPath('wix-api.md')}); a visitor
or member gets exit 4. Their way in is the collection ID, which the CMS shows in the collection settings: wixq data items list <collectionId>.
`,
  );
  collectionsList.action(async (flags: DataListFlags, command: Command) => {
    const [{ parseCollectionsListFlags }, { runDataCollectionsList }] = await Promise.all([import('./parse.js'), import('./run.js')]);
    const options = parseCollectionsListFlags(flags);
    await withContext(io, command, (ctx: CommandContext) => runDataCollectionsList(options, ctx));
  });

  const collectionsGet = collections
    .command('get')
    .description("show one collection: its fields (key, type) and permissions")
    .argument('<collectionId>', 'the collection ID')
    .option('--fields <paths>', 'fields to show (a,b.c)');
  collectionsGet.addHelpText('after', examples(['wixq data collections get articles', 'wixq data collections get team --json']));
  collectionsGet.action(async (collectionId: string, flags: { fields?: string }, command: Command) => {
    const [{ parseDataCollectionGetFlags }, { runDataCollectionsGet }] = await Promise.all([import('./parse.js'), import('./run.js')]);
    const options = parseDataCollectionGetFlags(collectionId, flags);
    await withContext(io, command, (ctx: CommandContext) => runDataCollectionsGet(options, ctx));
  });
}
