import { describe, expect, it } from 'vitest';
import { RESOURCE_COLUMNS } from '../../src/commands/list/columns.js';

const cell = (id: keyof typeof RESOURCE_COLUMNS, header: string, item: Record<string, unknown>): string => {
  const column = RESOURCE_COLUMNS[id].find((c) => c.header === header)!;
  const value = column.path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], item);
  return column.format ? column.format(value, item) : String(value ?? '');
};

describe('table columns', () => {
  it('V1 Stock shows inventoryStatus, or falls back to stock.inStock when Wix sends only that', () => {
    expect(cell('productsV1', 'Stock', { stock: { inventoryStatus: 'PARTIALLY_OUT_OF_STOCK', inStock: true } })).toBe('partially out of stock');
    expect(cell('productsV1', 'Stock', { stock: { trackInventory: true, quantity: 3, inStock: true } })).toBe('in stock');
    expect(cell('productsV1', 'Stock', { stock: { trackInventory: true, quantity: 0, inStock: false } })).toBe('out of stock');
    expect(cell('productsV1', 'Stock', {})).toBe('');
  });

  it('products show the same five columns on both catalogs; categories the same as collections', () => {
    const headers = (id: keyof typeof RESOURCE_COLUMNS) => RESOURCE_COLUMNS[id].map((c) => c.header);
    expect(headers('productsV1')).toEqual(headers('productsV3'));
    // The same columns, but the counts are not the same count: a category's is its own products only (Wix's itemCounter).
    const counts = (id: keyof typeof RESOURCE_COLUMNS) => headers(id).map((h) => (h.startsWith('Products') ? 'Products' : h));
    expect(counts('categories')).toEqual(counts('collectionsV1'));
    expect(headers('collectionsV1')).toContain('Products (Wix count)');
    expect(headers('categories')).toContain('Products (own, Wix count)');
  });
});
