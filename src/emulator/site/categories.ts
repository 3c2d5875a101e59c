import { DEPARTMENTS, type ProductPlacement } from './catalog.js';
import { createRandom, hashString, mixSeed, randomGuid, randomHex } from './random.js';
import { ALL_PRODUCTS_COLLECTION_ID, type SiteData, type StoreCategory, type V1Product } from './types.js';

/**
 * The Wix Stores category tree of a Catalog V3 site (Categories API, @wix/auto_sdk_categories_categories `Category`):
 * the demo tree, the fallback for data files without one, and the derived view the routes serve
 * (ancestors, effective visibility, item counters, each product's direct and inherited categories).
 */

/** One node of the demo tree: leaves list the kinds of item of their department that they hold. */
interface DemoNode {
  name: string;
  department?: string;
  items?: readonly string[];
  hidden?: boolean;
  children?: readonly DemoNode[];
}

// Each department's items are split over its subcategories; a unit test checks that every item has exactly one home.
const DEMO_TREE: readonly DemoNode[] = [
  { name: 'All Products' },
  {
    name: 'Apparel',
    department: 'apparel',
    children: [
      { name: 'Tops', items: ['Shirt', 'T-Shirt', 'Blouse', 'Sweater', 'Hoodie', 'Cardigan'] },
      { name: 'Bottoms', items: ['Trousers', 'Skirt', 'Shorts'] },
      { name: 'Dresses & Outerwear', items: ['Dress', 'Jacket', 'Scarf'] },
    ],
  },
  {
    name: 'Accessories',
    department: 'accessories',
    children: [
      { name: 'Bags', items: ['Tote Bag', 'Backpack', 'Weekender Bag'] },
      { name: 'Small Goods', items: ['Wallet', 'Belt', 'Card Holder', 'Watch Strap'] },
      { name: 'Hats', items: ['Cap', 'Beanie'] },
    ],
  },
  {
    name: 'Home & Living',
    department: 'home',
    children: [
      { name: 'Lighting', items: ['Table Lamp', 'Candle Holder'] },
      { name: 'Decor', items: ['Vase', 'Planter', 'Wall Clock', 'Mirror', 'Picture Frame'] },
      { name: 'Textiles', items: ['Cushion', 'Throw Blanket', 'Rug'] },
    ],
  },
  {
    name: 'Kitchen',
    department: 'kitchen',
    children: [
      { name: 'Tableware', items: ['Serving Tray', 'Salad Bowl', 'Plate Set'], children: [{ name: 'Drinkware', items: ['Mug', 'Teapot', 'Carafe'] }] },
      { name: 'Prep & Storage', items: ['Cutting Board', 'Spice Jar', 'Apron'] },
    ],
  },
  {
    name: 'Outdoor',
    department: 'outdoor',
    children: [
      { name: 'Camping', items: ['Hammock', 'Camping Lantern', 'Folding Stool', 'Picnic Blanket'] },
      { name: 'On the Go', items: ['Water Bottle', 'Daypack', 'Travel Mug'] },
    ],
  },
  { name: 'Summer Collection' },
  { name: 'Sale' },
  { name: 'New Arrivals' },
  { name: 'Best Sellers' },
  // Hidden, with a hidden child: visibility cascades down the tree (Category.visible in the typings).
  { name: 'Archive', hidden: true, children: [{ name: 'Winter 2023', hidden: true }] },
];

/** Every 37th product, offset 5, also sits in the hidden Winter 2023 category. */
const ARCHIVED = (index: number) => index % 37 === 5;

const DEMO_CREATED = Date.UTC(2022, 11, 1, 9, 0, 0);

function slugify(text: string): string {
  return text.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** The demo tree for `seed` and each product's direct categories; deterministic and linear in the catalog size. */
export function generateCategoryTree(
  seed: number,
  products: readonly V1Product[],
  placements: readonly ProductPlacement[],
): { categories: StoreCategory[]; productCategoryIds: Record<string, string[]> } {
  const categories: StoreCategory[] = [];
  const idByName = new Map<string, string>();
  const leafByItem = new Map<string, string>();
  const visit = (node: DemoNode, parentId: string | undefined, department: string | undefined, depth: number) => {
    const random = createRandom(mixSeed(seed, 0xca7e, hashString(node.name)));
    const id = randomGuid(random);
    const created = new Date(DEMO_CREATED + categories.length * 3_600_000).toISOString();
    const category: StoreCategory = {
      id,
      name: node.name,
      slug: slugify(node.name),
      visible: !node.hidden,
      ...(parentId && { parentId }),
      description: `${node.name} from the wixq demo store.`,
      createdDate: created,
      updatedDate: created,
    };
    if (depth === 0) {
      const mediaId = [randomHex(random, 6), '_', randomHex(random, 32), '~mv2.jpg'].join('');
      category.image = { id: mediaId, url: `https://static.wixstatic.com/media/${mediaId}`, width: 1200, height: 800, altText: node.name };
    }
    categories.push(category);
    idByName.set(node.name, id);
    const dept = node.department ?? department;
    for (const item of node.items ?? []) leafByItem.set(`${dept}\u0000${item}`, id);
    for (const child of node.children ?? []) visit(child, id, dept, depth + 1);
  };
  for (const node of DEMO_TREE) visit(node, undefined, undefined, 0);

  const allProducts = idByName.get('All Products')!;
  const archive = idByName.get('Winter 2023')!;
  const shared = new Map<string, string[]>();
  const productCategoryIds: Record<string, string[]> = {};
  products.forEach((product, index) => {
    const placement = placements[index]!;
    const leaf = leafByItem.get(`${placement.department}\u0000${placement.item}`);
    if (!leaf) throw new Error(`demo category tree has no home for ${placement.department} / ${placement.item}`);
    const archived = ARCHIVED(index);
    const key = `${leaf}|${placement.groups.join(',')}|${archived}`;
    let direct = shared.get(key);
    if (!direct) {
      // Shared between products (never mutated): a big catalog repeats a few hundred combinations.
      direct = [allProducts, leaf, ...placement.groups.map((g) => idByName.get(g)!), ...(archived ? [archive] : [])];
      shared.set(key, direct);
    }
    productCategoryIds[product.id] = direct;
  });
  return { categories, productCategoryIds };
}

/** The demo tree's leaves for each department (for tests: every item of the catalog needs exactly one). */
export function demoLeavesByItem(): Map<string, string[]> {
  const homes = new Map<string, string[]>();
  const visit = (node: DemoNode, department: string | undefined) => {
    const dept = node.department ?? department;
    for (const item of node.items ?? []) homes.set(`${dept}/${item}`, [...(homes.get(`${dept}/${item}`) ?? []), node.name]);
    for (const child of node.children ?? []) visit(child, dept);
  };
  for (const node of DEMO_TREE) visit(node, undefined);
  for (const d of DEPARTMENTS) for (const item of d.items) if (!homes.has(`${d.key}/${item}`)) homes.set(`${d.key}/${item}`, []);
  return homes;
}

const FALLBACK_DATE = '2024-01-01T00:00:00.000Z';

/** The tree a site serves: its own, or (data files without one) its collections as top-level categories. */
export function siteCategories(site: SiteData): { categories: StoreCategory[]; productCategoryIds: Record<string, string[]> } {
  if (site.categories) return { categories: site.categories, productCategoryIds: site.productCategoryIds ?? {} };
  const categories = site.collections
    .filter((c) => c.id !== ALL_PRODUCTS_COLLECTION_ID)
    .map((c): StoreCategory => ({ id: c.id, name: c.name, slug: c.slug, visible: c.visible !== false, description: String(c.description ?? ''), createdDate: FALLBACK_DATE, updatedDate: FALLBACK_DATE }));
  const productCategoryIds: Record<string, string[]> = {};
  for (const p of site.products) productCategoryIds[p.id] = p.collectionIds.filter((id) => id !== ALL_PRODUCTS_COLLECTION_ID);
  return { categories, productCategoryIds };
}

/** A product's place in the tree, in the V3 product's shape (`ProductCategory` is `{id, index}` on the wire). */
export interface ProductCategoryInfo {
  direct: { id: string; index: number }[];
  all: { id: string; index: number }[];
  mainCategoryId: string | null;
  breadcrumbs: { categoryId: string; categoryName: string; categorySlug: string }[];
}

const NO_CATEGORIES: ProductCategoryInfo = Object.freeze({ direct: [], all: [], mainCategoryId: null, breadcrumbs: [] }) as ProductCategoryInfo;

/** The served view of a category tree: parents before children, ancestors, effective visibility, counters. */
export class CategoryTree {
  /** Parents before children, siblings in the order given. */
  readonly list: StoreCategory[] = [];
  readonly byId = new Map<string, StoreCategory>();
  readonly bySlug = new Map<string, StoreCategory>();
  private readonly ancestorIds = new Map<string, string[]>();
  private readonly siblingIndex = new Map<string, number>();
  private readonly effectiveVisible = new Map<string, boolean>();
  private readonly directCounts = new Map<string, number>();
  private readonly productInfo = new Map<string, ProductCategoryInfo>();

  constructor(categories: readonly StoreCategory[], productCategoryIds: Readonly<Record<string, readonly string[]>>, products: readonly V1Product[]) {
    const children = new Map<string | undefined, StoreCategory[]>();
    for (const c of categories) {
      this.byId.set(c.id, c);
      if (!this.bySlug.has(c.slug)) this.bySlug.set(c.slug, c);
      const siblings = children.get(c.parentId) ?? [];
      siblings.push(c);
      children.set(c.parentId, siblings);
    }
    const walk = (parentId: string | undefined, ancestors: string[], visible: boolean) => {
      (children.get(parentId) ?? []).forEach((c, index) => {
        this.list.push(c);
        this.ancestorIds.set(c.id, ancestors);
        this.siblingIndex.set(c.id, index);
        const shown = visible && c.visible;
        this.effectiveVisible.set(c.id, shown);
        walk(c.id, [...ancestors, c.id], shown);
      });
    };
    walk(undefined, [], true);
    this.indexProducts(productCategoryIds, products);
  }

  /** Positions of each product in each of its categories (direct or inherited), in catalog order. */
  private indexProducts(productCategoryIds: Readonly<Record<string, readonly string[]>>, products: readonly V1Product[]): void {
    const positions = new Map<string, number>();
    // Products share their direct-category lists, so what depends only on the list is worked out once per list.
    const perList = new Map<readonly string[], { directIds: string[]; allIds: string[]; mainCategoryId: string | null; breadcrumbs: ProductCategoryInfo['breadcrumbs'] }>();
    for (const product of products) {
      const direct = productCategoryIds[product.id];
      if (!direct || direct.length === 0) continue;
      let shared = perList.get(direct);
      if (!shared) {
        const set = new Set(direct);
        for (const id of direct) for (const a of this.ancestorIds.get(id) ?? []) set.add(a);
        // The main category is the deepest direct one: it gives the product's breadcrumbs (V3Product.mainCategoryId).
        let main: string | undefined;
        for (const id of direct) if (!main || (this.ancestorIds.get(id)?.length ?? 0) > (this.ancestorIds.get(main)?.length ?? 0)) main = id;
        const trail = main ? [...(this.ancestorIds.get(main) ?? []), main] : [];
        const directIds = [...new Set(direct)];
        shared = { directIds, allIds: [...set], mainCategoryId: main ?? null, breadcrumbs: trail.map((id) => this.crumb(id)) };
        perList.set(direct, shared);
        for (const id of directIds) this.directCounts.set(id, this.directCounts.get(id) ?? 0);
      }
      const all = shared.allIds.map((id) => {
        const index = positions.get(id) ?? 0;
        positions.set(id, index + 1);
        return { id, index };
      });
      for (const id of shared.directIds) this.directCounts.set(id, this.directCounts.get(id)! + 1);
      // The direct ids come first in allIds.
      this.productInfo.set(product.id, { direct: all.slice(0, shared.directIds.length), all, mainCategoryId: shared.mainCategoryId, breadcrumbs: shared.breadcrumbs });
    }
  }

  private crumb(id: string): { categoryId: string; categoryName: string; categorySlug: string } {
    const c = this.byId.get(id)!;
    return { categoryId: c.id, categoryName: c.name, categorySlug: c.slug };
  }

  /** Ancestor ids, top-level first. */
  ancestors(id: string): readonly string[] {
    return this.ancestorIds.get(id) ?? [];
  }

  /** Whether the category and every ancestor are visible. */
  isVisible(id: string): boolean {
    return this.effectiveVisible.get(id) ?? false;
  }

  /** Position among its siblings (`parentCategory.index`). */
  indexAmongSiblings(id: string): number {
    return this.siblingIndex.get(id) ?? 0;
  }

  /** Number of products directly in the category (`itemCounter`). */
  itemCounter(id: string): number {
    return this.directCounts.get(id) ?? 0;
  }

  /** Breadcrumbs of a category: its ancestors, top-level first, itself excluded. */
  breadcrumbs(id: string): { categoryId: string; categoryName: string; categorySlug: string }[] {
    return this.ancestors(id).map((a) => this.crumb(a));
  }

  /** Where a product sits in the tree. */
  categoriesOfProduct(productId: string): ProductCategoryInfo {
    return this.productInfo.get(productId) ?? NO_CATEGORIES;
  }
}
