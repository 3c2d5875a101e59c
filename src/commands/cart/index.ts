import { Option, type Command } from 'commander';
import type { IO } from '../../output/io.js';
import { docPath, examples } from '../help.js';
import { withContext } from '../with-context.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `wixq cart [get] | add | remove | update | clear | checkout`: the session's own cart (eCommerce Cart V1). */
export function registerCart(program: Command, io: IO): void {
  const group = program
    .command('cart')
    .description("the session's cart: the visitor's (or, after auth login, the member's), kept between runs with the session")
    .addHelpText(
      'after',
      () => `${examples([
        'wixq cart add premium-cotton-shirt --option Size=M --option Color=Charcoal --quantity 2',
        'wixq cart add premium-wool-rug && wixq cart',
        'wixq cart add premium-wool-rug && wixq cart checkout',
      ])}
The cart is the session's (tokens.json): a later run of the same profile sees it, another profile has its own. See
${docPath('reference.md')}, section 3.12.
`,
    );

  group
    .command('get', { isDefault: true })
    .description('show the cart: its lines and the subtotal (bare "wixq cart" too)')
    .addHelpText(
      'after',
      examples([
        'wixq cart add premium-wool-rug && wixq cart get',
        "wixq cart add premium-wool-rug && wixq cart --json | jq '.lineItems[] | {name: .productName.original, quantity}'",
      ]),
    )
    .action(async (_flags: unknown, command: Command) => {
      const { runCartGet } = await import('./run.js');
      await withContext(io, command, (ctx) => runCartGet(ctx));
    });

  group
    .command('add')
    .description('add a product to the cart: its options chosen with --option (the variant on Catalog V3), its texts with --text')
    .argument('<product>', "the product's ID or slug")
    .option('--option <name=value>', 'a choice of one of its options, e.g. Size=M (repeatable)', collect)
    .option('--variant <id>', 'the variant, by ID, instead of --option choices')
    .option('--text <name=value>', 'a custom text the product asks for, e.g. Engraving=Ada (repeatable)', collect)
    .option('--quantity <n>', 'how many (1 to 100,000; default 1)')
    .addOption(new Option('--catalog <version>', 'Stores catalog version (default: detected per site and cached)').choices(['v1', 'v3']))
    .addHelpText(
      'after',
      `${examples([
        'wixq cart add premium-cotton-shirt --option Size=M --option Color=Charcoal',
        'wixq cart add premium-wool-rug --quantity 3',
      ])}
A product with options needs a choice for each (exit 2 lists what it offers, and nothing is added); so does a
mandatory text. Choices are matched by name, ignoring case.
`,
    )
    .action(async (product: string, flags: { option?: string[]; variant?: string; text?: string[]; quantity?: string; catalog?: string }, command: Command) => {
      const { parseAddFlags, runCartAdd } = await import('./run.js');
      const request = parseAddFlags(flags);
      await withContext(io, command, (ctx) => runCartAdd(product, request, flags, ctx));
    });

  group
    .command('remove')
    .alias('rm')
    .description('take a line out of the cart, by its line ID or by the product (ID, slug or name)')
    .argument('<line>', "the line's ID, or the product's ID, slug or name")
    .addHelpText('after', examples(['wixq cart add premium-wool-rug && wixq cart remove premium-wool-rug']))
    .action(async (line: string, _flags: unknown, command: Command) => {
      const { runCartRemove } = await import('./run.js');
      await withContext(io, command, (ctx) => runCartRemove(line, ctx));
    });

  group
    .command('update')
    .description("set a line's quantity, by its line ID or by the product (ID, slug or name)")
    .argument('<line>', "the line's ID, or the product's ID, slug or name")
    .requiredOption('--quantity <n>', 'the new quantity (1 to 100,000)')
    .addHelpText('after', examples(['wixq cart add premium-wool-rug && wixq cart update premium-wool-rug --quantity 3']))
    .action(async (line: string, flags: { quantity: string }, command: Command) => {
      const { parseQuantity } = await import('../../wix/cart.js');
      const { runCartUpdate } = await import('./run.js');
      const quantity = parseQuantity(flags.quantity);
      await withContext(io, command, (ctx) => runCartUpdate(line, quantity, ctx));
    });

  group
    .command('clear')
    .description('empty the cart (deletes it; an empty cart stays empty)')
    .addHelpText('after', examples(['wixq cart add premium-wool-rug && wixq cart clear']))
    .action(async (_flags: unknown, command: Command) => {
      const { runCartClear } = await import('./run.js');
      await withContext(io, command, (ctx) => runCartClear(ctx));
    });

  group
    .command('checkout')
    .description("create a checkout from the cart and print Wix's hosted checkout URL (--web opens it)")
    .option('--web', 'open the checkout page in the browser (WIXQ_BROWSER or BROWSER names the browser)')
    .option('--no-browser', 'with --web: print the URL on stdout instead of opening it (also what happens without a display)')
    .addHelpText(
      'after',
      `${examples([
        'wixq cart add premium-wool-rug && wixq cart checkout',
        'wixq cart add premium-wool-rug && wixq cart checkout --web --no-browser',
      ])}
Each checkout stays on the site as an abandoned checkout until someone pays (a visitor cannot delete one). After the
payment Wix sends the buyer to the profile's redirect URI when one is set (config set redirect-uri), else to its own
thank-you page. An empty cart is exit 2.
`,
    )
    .action(async (flags: { web?: boolean; browser?: boolean }, command: Command) => {
      const { runCartCheckout } = await import('./run.js');
      await withContext(io, command, (ctx) => runCartCheckout(flags, ctx));
    });
}
