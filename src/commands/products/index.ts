import type { Command } from 'commander';
import type { IO } from '../../output/io.js';
import { catalogOption, registerResourceCommands } from '../list/resource.js';
import { addWebOptions } from '../list/web-options.js';
import { docPath } from '../help.js';

/** `wixq products list | get`: Wix Stores products on Catalog V1 or V3. */
export function registerProducts(program: Command, io: IO): void {
  const group = registerResourceCommands(program, io, {
    noun: 'products',
    singular: 'product',
    description: 'Wix Stores products (Catalog V1 or V3, detected per site)',
    extraOptions: catalogOption,
    listOptions: (command) =>
      command
        .option('--search <text>', 'free text: V3 searches names, descriptions and SKUs; V1 (no search API) matches names that start with it')
        .option('--category <id|slug>', 'products in a category (V3, subcategories included) or collection (V1)'),
    listExamples: [
      'wixq products list',
      'wixq products list --filter "price>20" --sort -price --limit 10',
      'wixq products list --search premium --sort name',
      'wixq products list --category <category slug> --sort price',
      'wixq products list --all -o ndjson > products.ndjson',
      'wixq products list --fields name,slug,visible -o csv',
    ],
    listHelp: () => `
Fields: --filter and --sort take the catalog-neutral names name, slug, price, stock, visible and created on both
catalogs, or the catalog's own field names. Wix refuses fields its endpoints do not declare, so wixq checks first
(exit 2, nothing sent). On Catalog V3, wixq reads /stores/v3/products/query when that endpoint can serve the filter
and /stores/v3/products/search otherwise (name, price, stock, any sort, --search). See
${docPath('reference.md')}, sections 4 (lists) and 4.5 (price).

Price: Wix gives the two catalogs different prices to filter and sort on, and neither can ask for the other's, so
price means the price before discount on Catalog V1 (priceData.price) and the lowest actual price (after discount)
of the product's variants on Catalog V3 (actualPriceRange.minValue.amount); a run that filters or sorts on price
says which on stderr. The table's "Price after discount" column (and the same text in CSV and TSV) shows what the
customer pays, with the price before discount beside it: "$71.39 (was $101.99)".
`,
    getExamples: [
      'wixq products get premium-cotton-shirt',
      'wixq products get 72709e8c-11e2-4822-86d2-9a5112107fea --json',
      'wixq products get premium-cotton-shirt --web --no-browser     the product page URL (--web alone opens it)',
    ],
  });
  addWebOptions(group, 'product');
}
