import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProject, type TestProject } from '../helpers/project.js';

/**
 * Which price `price` means (docs/reference.md 4.5): Catalog V1 filters and sorts on the price before discount, V3 on
 * the lowest actual price across variants. A filter or sort on the neutral `price` says which on stderr, once; the
 * table labels its price column with what it shows, and CSV/TSV carry the same text.
 */

type Product = Record<string, any>;

const LABEL = 'Price after discount';

/** Splits one table row (`│ a │ b │`) into its trimmed cells. */
const cells = (line: string): string[] =>
  line
    .split('│')
    .slice(1, -1)
    .map((c) => c.trim());

/** A CSV line's cells (RFC 4180 quoting, as wixq writes it). */
function csvCells(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') out.push(cell), (cell = '');
    else cell += ch;
  }
  out.push(cell);
  return out;
}

const priceNotes = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('Note: price '));

for (const catalog of ['v1', 'v3'] as const) {
  describe(`price on a Catalog ${catalog.toUpperCase()} site`, () => {
    let p: TestProject;
    let all: Product[];
    /** A product with a discount, and its prices before and after it. */
    let discounted: { product: Product; before: number; after: number; text: string };

    beforeAll(async () => {
      p = await startProject({ catalog });
      const r = await p.run(['products', 'list', '--all', '--json']);
      expect(r.code, r.stderr).toBe(0);
      all = JSON.parse(r.stdout);
      const found = all.find((x) =>
        catalog === 'v1' ? x.priceData.discountedPrice < x.priceData.price : Number(x.compareAtPriceRange?.minValue?.amount) > Number(x.actualPriceRange.minValue.amount),
      )!;
      expect(found).toBeDefined();
      discounted =
        catalog === 'v1'
          ? {
              product: found,
              before: found.priceData.price,
              after: found.priceData.discountedPrice,
              text: `${found.priceData.formatted.discountedPrice} (was ${found.priceData.formatted.price})`,
            }
          : {
              product: found,
              before: Number(found.compareAtPriceRange.minValue.amount),
              after: Number(found.actualPriceRange.minValue.amount),
              text: `${found.actualPriceRange.minValue.formattedAmount} (was ${found.compareAtPriceRange.minValue.formattedAmount})`,
            };
    });
    afterAll(async () => p.close());

    it('a filter on price says once, on stderr, which price it is on this catalog', async () => {
      // The product's price before discount: V1 compares that one (the product is in), V3 the price after (it is out).
      const r = await p.run(['products', 'list', '--filter', `price>=${discounted.before}`, '--all', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const ids = (JSON.parse(r.stdout) as Product[]).map((x) => x._id);
      expect(ids.includes(discounted.product._id)).toBe(catalog === 'v1');
      const notes = priceNotes(r.stderr);
      expect(notes).toHaveLength(1);
      expect(r.stdout).not.toContain('Note:');
      if (catalog === 'v1') {
        expect(notes[0]).toBe(
          'Note: price on this site (Catalog V1) is the price before discount (priceData.price); V1 cannot filter or sort on the discounted price, which the table shows first.',
        );
      } else {
        expect(notes[0]).toBe(
          "Note: price on this site (Catalog V3) is the actual price after discount, the lowest of the product's variants (actualPriceRange.minValue.amount).",
        );
      }
    });

    it('a sort on price, --query and a filter and sort together: the note once per run, across pages', async () => {
      for (const args of [
        ['--sort', '-price', '--limit', '3'],
        ['--query', JSON.stringify({ filter: { price: { $gt: 1 } } }), '--limit', '3'],
        ['--query', JSON.stringify({ sort: [{ fieldName: 'price', order: 'DESC' }] }), '--limit', '3'],
        ['--filter', 'price>1', '--sort', 'price', '--all'],
      ]) {
        const r = await p.run(['products', 'list', ...args, '-o', 'ndjson']);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
        expect(priceNotes(r.stderr), args.join(' ')).toHaveLength(1);
      }
    });

    it('no note when price is not filtered or sorted on (other fields, --fields, the catalog\'s own price field)', async () => {
      const own = catalog === 'v1' ? 'priceData.price' : 'actualPriceRange.minValue.amount';
      for (const args of [
        ['--limit', '3'],
        ['--filter', 'name^=a', '--sort', 'name', '--limit', '3'],
        ['--fields', `name,${own}`, '--limit', '3'],
        ['--sort', `-${own}`, '--limit', '3'],
      ]) {
        const r = await p.run(['products', 'list', ...args, '--json']);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
        expect(priceNotes(r.stderr), args.join(' ')).toEqual([]);
      }
    });

    it('a run whose first page fails says no meaning (the catalog it would name was not the site\'s)', async () => {
      const other = catalog === 'v1' ? 'v3' : 'v1';
      const r = await p.run(['products', 'list', '--sort', 'price', '--catalog', other]);
      expect(r.code).toBe(1);
      expect(priceNotes(r.stderr)).toEqual([]);
    });

    it('the table labels the price column with what it shows, and CSV and TSV carry the same price text', async () => {
      const slug = String(discounted.product.slug);
      const filter = ['--filter', `slug=${slug}`];
      const table = await p.run(['products', 'list', ...filter], { tty: true, columns: 200 });
      expect(table.code, table.stderr).toBe(0);
      const lines = table.stdout.split('\n').filter((l) => l.startsWith('│'));
      const header = cells(lines[0]!);
      expect(header).toEqual(['Name', 'Slug', LABEL, 'Stock', 'Visible']);
      const row = cells(lines.find((l) => l.includes(slug))!);
      expect(row[2]).toBe(discounted.text);

      const csv = await p.run(['products', 'list', ...filter, '-o', 'csv']);
      expect(csv.code, csv.stderr).toBe(0);
      const [csvHeader, csvRow] = csv.stdout.trimEnd().split('\n').map(csvCells);
      expect(csvHeader).toEqual(['name', 'slug', LABEL, catalog === 'v1' ? 'stock.inventoryStatus' : 'inventory.availabilityStatus', 'visible']);
      expect(csvRow![2]).toBe(discounted.text);

      const tsv = await p.run(['products', 'list', ...filter, '-o', 'tsv']);
      const [tsvHeader, tsvRow] = tsv.stdout.trimEnd().split('\n').map((l) => l.split('\t'));
      expect(tsvHeader![2]).toBe(LABEL);
      expect(tsvRow![2]).toBe(discounted.text);

      // get: the same label and text, in a table and in CSV.
      const got = await p.run(['products', 'get', slug], { tty: true, columns: 200 });
      expect(got.stdout).toMatch(new RegExp(`│ ${LABEL}\\s+│ ${discounted.text.replace(/[$()]/g, '\\$&')}\\s+│`));
      const gotCsv = await p.run(['products', 'get', slug, '-o', 'csv']);
      const [getHeader, getRow] = gotCsv.stdout.trimEnd().split('\n').map(csvCells);
      expect(getRow![getHeader!.indexOf(LABEL)]).toBe(discounted.text);
    });

    it('--fields with a price path shows that field as it is, not the table\'s price text', async () => {
      const path = catalog === 'v1' ? 'priceData.formatted.price' : 'actualPriceRange.minValue.formattedAmount';
      const expected = catalog === 'v1' ? discounted.product.priceData.formatted.price : discounted.product.actualPriceRange.minValue.formattedAmount;
      const table = await p.run(['products', 'list', '--filter', `slug=${discounted.product.slug}`, '--fields', `slug,${path}`], { tty: true, columns: 200 });
      const row = cells(table.stdout.split('\n').find((l) => l.includes(String(discounted.product.slug)))!);
      expect(row[1]).toBe(expected);
    });
  });
}

describe('products list --help', () => {
  it('states both meanings of price', async () => {
    const p = await startProject();
    try {
      const help = await p.run(['products', 'list', '--help']);
      expect(help.code).toBe(0);
      const text = help.stdout.replace(/\s+/g, ' ');
      expect(text).toContain('price means the price before discount on Catalog V1 (priceData.price)');
      expect(text).toContain("the lowest actual price (after discount) of the product's variants on Catalog V3 (actualPriceRange.minValue.amount)");
    } finally {
      await p.close();
    }
  });
});
