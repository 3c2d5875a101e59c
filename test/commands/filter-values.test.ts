import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProject, type TestProject } from '../helpers/project.js';

/**
 * Every filter value checked against its field's type, and every --fields path against the entity's typed paths,
 * before anything is sent (issue 18, items 5 and 6): a value the field cannot take, or a top-level field the entity
 * does not have, is exit 2 with one line saying what it takes and what was plainly meant, and no request at all.
 */

const projects: Record<'v1' | 'v3', TestProject> = {} as Record<'v1' | 'v3', TestProject>;

beforeAll(async () => {
  for (const catalog of ['v1', 'v3'] as const) {
    projects[catalog] = await startProject({ catalog });
    // Warm: the catalog is detected and cached and the visitor session stored, so a refusal can be zero requests.
    const warm = await projects[catalog].run(['products', 'list', '--limit', '1']);
    expect(warm.code, warm.stderr).toBe(0);
    expect((await projects[catalog].run(['services', 'list', '--limit', '1'])).code).toBe(0);
  }
});
afterAll(async () => {
  for (const p of Object.values(projects)) await p.close();
});

/** The one error line (and nothing on stdout), exit 2, and no request of any kind. */
async function refused(catalog: 'v1' | 'v3', args: string[]): Promise<string> {
  const p = projects[catalog];
  p.reset();
  const r = await p.run(args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(p.requests()).toEqual([]);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^Error: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

describe('filter values on Catalog V1', () => {
  it.each<[string, string[], string]>([
    ['an operator typo =>', ['--filter', 'price=>100'], 'Error: "price" takes a number on Catalog V1, got ">100" (did you mean price>=100?)'],
    ['a doubled operator >>', ['--filter', 'price>>100'], 'Error: "price" takes a number on Catalog V1, got ">100" (did you mean price>100 or price>=100?)'],
    ['a word for a number', ['--filter', 'price>abc'], 'Error: "price" takes a number on Catalog V1, got "abc"'],
    ['a quoted number', ['--filter', 'priceData.price<"30"'], 'Error: "priceData.price" takes a number on Catalog V1, got "30" (did you mean priceData.price<30?)'],
    ['a number for text', ['--filter', 'sku=12345'], 'Error: "sku" takes text on Catalog V1, got 12345 (did you mean sku="12345"?)'],
    ['an enum value in another case', ['--filter', 'productType=Physical'], 'Error: "productType" takes one of unspecified_product_type, physical, digital on Catalog V1, got "Physical" (did you mean productType=physical?)'],
    ['a year for a date', ['--filter', 'created>2024'], 'Error: "created" (_createdDate) takes a date (2024-06-01 or 2024-06-01T12:00:00Z) on Catalog V1, got 2024'],
    ['a text operator on a number (numericId compares as a number)', ['--filter', 'numericId^=16'], 'Error: "numericId" takes a number on Catalog V1: ^= does not go with it (it compares text)'],
    ['a list item', ['--filter', 'collectionIds has (c1,2)'], 'Error: "collectionIds" takes text on Catalog V1, got 2 (did you mean "2"?)'],
    ['a value inside --query', ['--query', '{"filter":{"$or":[{"name":"a"},{"price":{"$gt":"abc"}}]}}'], 'Error: "price" takes a number on Catalog V1, got "abc"'],
    ['$exists with a string, in --query', ['--query', '{"filter":{"sku":{"$exists":"yes"}}}'], 'Error: "sku" takes true or false on Catalog V1, got "yes" (did you mean sku?)'],
  ])('%s is exit 2 with zero requests', async (_label, flags, line) => {
    expect(await refused('v1', ['products', 'list', ...flags])).toBe(line);
  });

  it('a bad value with --category is refused before the category is looked up', async () => {
    expect(await refused('v1', ['products', 'list', '--category', 'no-such-collection', '--filter', 'price=>5'])).toMatch(/did you mean price>=5\?/);
  });

  it('good values still go out as written and answer', async () => {
    const p = projects.v1;
    const expected = p.emulator.site.products.filter((x) => x.visible !== false && (x.priceData as { price: number }).price >= 80).length;
    expect(expected).toBeGreaterThan(0);
    p.reset();
    const r = await p.run(['products', 'list', '--all', '--json', '--filter', 'price>=80', '--filter', 'productType=physical', '--filter', 'created>2000-01-01', '--filter', 'sku!="12345"']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).length).toBe(p.emulator.site.products.filter((x) => x.visible !== false && (x.priceData as { price: number }).price >= 80 && x.productType === 'physical').length);
    const body = p.requests('/stores-reader/v1/products/query-platformized')[0]!.body as any;
    expect(JSON.stringify(body)).toContain('{"price":{"$gte":80}}');
  });
});

describe('filter values on Catalog V3', () => {
  it.each<[string, string[], string]>([
    ['an operator typo =>', ['--filter', 'price=>100'], 'Error: "price" (actualPriceRange.minValue.amount) takes a decimal number (19.99) on Catalog V3, got ">100" (did you mean price>=100?)'],
    ['a doubled operator >>', ['--filter', 'price>>100'], 'Error: "price" (actualPriceRange.minValue.amount) takes a decimal number (19.99) on Catalog V3, got ">100" (did you mean price>100 or price>=100?)'],
    ['a word for a price', ['--filter', 'price>abc'], 'Error: "price" (actualPriceRange.minValue.amount) takes a decimal number (19.99) on Catalog V3, got "abc"'],
    ['a stock value in lower case', ['--filter', 'stock=in_stock'], 'Error: "stock" (inventory.availabilityStatus) takes one of IN_STOCK, OUT_OF_STOCK, PARTIALLY_OUT_OF_STOCK on Catalog V3, got "in_stock" (did you mean stock=IN_STOCK?)'],
    ['a stock value in a list', ['--filter', 'stock in (IN_STOCK,out of stock)'], 'Error: "stock" (inventory.availabilityStatus) takes one of IN_STOCK, OUT_OF_STOCK, PARTIALLY_OUT_OF_STOCK on Catalog V3, got "out of stock" (did you mean OUT_OF_STOCK?)'],
    ['yes for a boolean', ['--filter', 'visible=yes'], 'Error: "visible" takes true or false on Catalog V3, got "yes" (did you mean visible=true?)'],
    ['a word for a date', ['--filter', 'created>yesterday'], 'Error: "created" (_createdDate) takes a date (2024-06-01 or 2024-06-01T12:00:00Z) on Catalog V3, got "yesterday"'],
    ['a single value where a list goes, in --query', ['--query', '{"filter":{"_id":{"$in":"abc"}}}'], 'Error: "_id" takes a list of text values on Catalog V3, got "abc"'],
  ])('%s is exit 2 with zero requests', async (_label, flags, line) => {
    expect(await refused('v3', ['products', 'list', ...flags])).toBe(line);
  });

  it('good values still work: a price as a number or a decimal string, an enum, a date', async () => {
    const p = projects.v3;
    for (const price of ['price>=20', 'price>="20.00"']) {
      p.reset();
      const r = await p.run(['products', 'list', '--all', '--json', '--filter', price, '--filter', 'stock=IN_STOCK', '--filter', 'created>2000-01-01T00:00:00Z']);
      expect(r.code, r.stderr).toBe(0);
      const items = JSON.parse(r.stdout) as any[];
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((x) => Number(x.actualPriceRange.minValue.amount) >= 20 && x.inventory.availabilityStatus === 'IN_STOCK')).toBe(true);
    }
  });
});

describe('filter values on the other lists', () => {
  it.each<['v1' | 'v3', string[], string]>([
    ['v1', ['services', 'list', '--filter', 'hidden=no'], 'Error: "hidden" takes true or false on Bookings services, got "no" (did you mean hidden=false?)'],
    ['v1', ['services', 'list', '--filter', 'type=class'], 'Error: "type" takes one of APPOINTMENT, CLASS, COURSE on Bookings services, got "class" (did you mean type=CLASS?)'],
    ['v1', ['services', 'list', '--filter', 'schedule.firstSessionStart>=tomorrow'], 'Error: "schedule.firstSessionStart" takes a date (2024-06-01 or 2024-06-01T12:00:00Z) on Bookings services, got "tomorrow"'],
    ['v1', ['collections', 'list', '--filter', 'name=2024'], 'Error: "name" takes text on Catalog V1 collections, got 2024 (did you mean name="2024"?)'],
    ['v3', ['categories', 'list', '--filter', 'visible=1'], 'Error: "visible" takes true or false on Categories, got 1 (did you mean visible=true?)'],
    ['v3', ['categories', 'list', '--filter', 'parentCategory.index>first'], 'Error: "parentCategory.index" takes a number on Categories, got "first"'],
  ])('%s %j is exit 2 with zero requests', async (catalog, args, line) => {
    expect(await refused(catalog, args)).toBe(line);
  });

  it('good service values still answer', async () => {
    const r = await projects.v1.run(['services', 'list', '--json', '--filter', 'type=CLASS', '--filter', 'onlineBooking.enabled=true']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as any[]).every((s) => s.type === 'CLASS')).toBe(true);
  });
});

describe('--fields', () => {
  it.each<['v1' | 'v3', string[], string]>([
    ['v1', ['products', 'list', '--fields', 'nmae,slug'], 'Error: --fields: "nmae" is not a field of Product (Catalog V1) (did you mean name?)'],
    ['v3', ['products', 'list', '--fields', 'slug,nmae'], 'Error: --fields: "nmae" is not a field of V3Product (Catalog V3) (did you mean name?)'],
    ['v1', ['products', 'get', 'anything', '--fields', 'priceDta.price'], 'Error: --fields: "priceDta" is not a field of Product (Catalog V1) (did you mean priceData?)'],
    ['v1', ['collections', 'list', '--fields', 'nam'], 'Error: --fields: "nam" is not a field of Collection (Catalog V1 collections) (did you mean name?)'],
    ['v3', ['categories', 'list', '--fields', 'slugg'], 'Error: --fields: "slugg" is not a field of Category (Categories) (did you mean slug?)'],
    ['v1', ['services', 'list', '--fields', '_id,nmae'], 'Error: --fields: "nmae" is not a field of Service (Bookings services) (did you mean name?)'],
    ['v1', ['services', 'get', 'anything', '--fields', 'tagline'], 'Error: --fields: "tagline" is not a field of Service (Bookings services) (did you mean tagLine?)'],
  ])('%s %j: an unknown top-level field is exit 2 with zero requests', async (catalog, args, line) => {
    expect(await refused(catalog, args)).toBe(line);
  });

  it('fields of the noun asked for, on a site that answers the other kind (categories on V1: collections), only warn', async () => {
    const r = await projects.v1.run(['categories', 'list', '--json', '--limit', '1', '--fields', '_id,itemCounter']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Warning: --fields: "itemCounter" is not a field of Collection (Catalog V1 collections); the column is empty.');
  });

  it('an unknown deeper path is a warning, and the list still answers', async () => {
    const p = projects.v1;
    p.reset();
    const r = await p.run(['products', 'list', '--limit', '2', '--json', '--fields', 'name,priceData.nope,priceData.price']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Warning: --fields priceData.nope: Product (Catalog V1) has no "priceData.nope" in the SDK typings; the column is empty where an item has none.');
    const items = JSON.parse(r.stdout) as any[];
    expect(items).toHaveLength(2);
    expect(typeof items[0].priceData.price).toBe('number');
  });

  it('every top-level field the emulator serves is a typed field: --fields with all of them is quiet', async () => {
    for (const [catalog, args] of [
      ['v1', ['products', 'list']],
      ['v3', ['products', 'list']],
      ['v1', ['collections', 'list']],
      ['v3', ['categories', 'list']],
      ['v1', ['services', 'list']],
    ] as const) {
      const p = projects[catalog];
      const all = await p.run([...args, '--all', '--json']);
      const keys = [...new Set((JSON.parse(all.stdout) as any[]).flatMap((x) => Object.keys(x)))];
      const r = await p.run([...args, '--limit', '1', '--json', '--fields', keys.join(',')]);
      expect(r.code, `${args.join(' ')} (${catalog}): ${r.stderr}`).toBe(0);
      expect(r.stderr).not.toMatch(/Warning: --fields/);
    }
  });
});

describe('CMS items: checked when the collection declares its fields', () => {
  const paths = () => projects.v1.apiRequests().map((r) => r.path);

  it.each<[string, string[], string]>([
    ['a word for a number', ['data', 'items', 'list', 'articles', '--filter', 'views>many'], 'Error: "views" takes a number on the collection "articles", got "many"'],
    ['an operator typo', ['data', 'items', 'list', 'articles', '--filter', 'views=>500'], 'Error: "views" takes a number on the collection "articles", got ">500" (did you mean views>=500?)'],
    ['yes for a boolean', ['data', 'items', 'list', 'team', '--filter', 'active=yes'], 'Error: "active" takes true or false on the collection "team", got "yes" (did you mean active=true?)'],
    ['a word for a system date', ['data', 'items', 'list', 'team', '--filter', '_createdDate>yesterday'], 'Error: "_createdDate" takes a date (2024-06-01 or 2024-06-01T12:00:00Z) on the collection "team", got "yesterday"'],
    ['a count too', ['data', 'items', 'count', 'articles', '--filter', 'featured=maybe'], 'Error: "featured" takes true or false on the collection "articles", got "maybe"'],
  ])('%s is exit 2, and only the collection was read', async (_label, args, line) => {
    const p = projects.v1;
    p.reset();
    const r = await p.run(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(line);
    expect(paths()).toEqual([`/wix-data/v2/collections/${args[3]}`]);
  });

  it('a date compared with a date-and-time field goes out as a date, and matches', async () => {
    const p = projects.v1;
    const viaQuery = await p.run(['data', 'items', 'list', 'articles', '--all', '--json', '--fields', '_id', '--query', '{"filter":{"publishedDate":{"$gte":{"$date":"2024-02-01T00:00:00.000Z"}}}}']);
    expect(viaQuery.code, viaQuery.stderr).toBe(0);
    const expected = JSON.parse(viaQuery.stdout) as unknown[];
    expect(expected.length).toBeGreaterThan(0);
    p.reset();
    const r = await p.run(['data', 'items', 'list', 'articles', '--all', '--json', '--fields', '_id', '--filter', 'publishedDate>=2024-02-01']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expected);
    expect(JSON.stringify(p.requests('/wix-data/v2/items/query').map((x) => x.body ?? x.query))).not.toContain('"publishedDate":{"$gte":"2024-02-01"}');
  });

  it('a --fields key the collection does not declare is a warning; the list answers', async () => {
    const r = await projects.v1.run(['data', 'items', 'list', 'team', '--json', '--limit', '1', '--fields', '_id,title,tilte']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Warning: --fields tilte: the collection "team" declares no field "tilte" (did you mean title?); the column is empty where an item has none.');
    const get = await projects.v1.run(['data', 'items', 'get', 'team', (JSON.parse(r.stdout) as any[])[0]._id, '--fields', 'rol']);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stderr).toContain('declares no field "rol" (did you mean role?)');
  });

  it('when the collection cannot be read, the filter goes out as written', async () => {
    const p = projects.v1;
    p.reset();
    await p.control('POST', 'faults', { path: '/wix-data/v2/collections/', status: 403 });
    const r = await p.run(['data', 'items', 'list', 'articles', '--filter', 'views>many', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(paths()).toEqual(['/wix-data/v2/collections/articles', '/wix-data/v2/items/query']);
    p.reset();
  });
});
