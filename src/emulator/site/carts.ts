import { randomUUID } from 'node:crypto';
import { formatMoney } from './catalog.js';
import { CART_LINE_REFUSALS, type CartLineRefusals, type EcomSettings } from './types.js';

export type { EcomSettings };

/**
 * The eCommerce side of the emulated site (docs/wix-api.md 15): a current cart per identity, the checkouts made from
 * them, and the optional totals settings of a data file. Carts live in memory only: they are not part of data files or
 * snapshots, and the emulator's reset forgets them. Shapes are the REST (wire) shapes of
 * @wix/auto_sdk_ecom_current-cart (`Cart`, `LineItem`, `MultiCurrencyPrice` in build/es/meta.d.mts).
 */

/** Wix Stores' app ID, the `catalogReference.appId` of every Stores line (CatalogReference typings; Wix's V1 and V3 eCommerce integration pages). */
export const STORES_APP_ID = '215238eb-22a5-4c36-9e7b-e7c08025e04e';


/** Reads the `ecom` object of a data file; `fail(field, problem)` throws the loader's one-line error. */
export function parseEcomSettings(raw: unknown, fail: (field: string, problem: string) => never): EcomSettings {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('ecom', 'expected an object {taxRate, shippingPrice, lineRefusals, acceptsPayments}');
  const o = raw as Record<string, unknown>;
  const known = ['taxRate', 'shippingPrice', 'lineRefusals', 'acceptsPayments'];
  for (const key of Object.keys(o)) if (!known.includes(key)) fail(`ecom.${key}`, `unknown setting (expected ${known.join(', ')})`);
  const out: EcomSettings = {};
  if (o.taxRate !== undefined) {
    if (typeof o.taxRate !== 'number' || !Number.isFinite(o.taxRate) || o.taxRate < 0 || o.taxRate > 1) fail('ecom.taxRate', 'expected a fraction between 0 and 1 (0.08 is 8%)');
    out.taxRate = o.taxRate;
  }
  if (o.shippingPrice !== undefined) {
    if (typeof o.shippingPrice !== 'number' || !Number.isFinite(o.shippingPrice) || o.shippingPrice < 0) fail('ecom.shippingPrice', 'expected a non-negative number');
    out.shippingPrice = o.shippingPrice;
  }
  if (o.lineRefusals !== undefined) {
    if (!(CART_LINE_REFUSALS as readonly unknown[]).includes(o.lineRefusals)) fail('ecom.lineRefusals', `expected ${CART_LINE_REFUSALS.map((v) => `"${v}"`).join(' or ')}`);
    out.lineRefusals = o.lineRefusals as CartLineRefusals;
  }
  if (o.acceptsPayments !== undefined) {
    if (typeof o.acceptsPayments !== 'boolean') fail('ecom.acceptsPayments', 'expected true or false');
    out.acceptsPayments = o.acceptsPayments;
  }
  return out;
}

/** A money amount in cents-exact arithmetic: Wix's decimal strings ("10", "7.5"). */
export function amountText(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** A `MultiCurrencyPrice` (amount, convertedAmount and their formatted forms; no currency conversion on the emulated site). */
export function money(value: number, currency: string): Record<string, string> {
  const rounded = Math.round(value * 100) / 100;
  const formatted = formatMoney(rounded, currency);
  return { amount: amountText(rounded), convertedAmount: amountText(rounded), formattedAmount: formatted, formattedConvertedAmount: formatted };
}

/** Who owns a cart: the member when the token names one, else the visitor (Wix keeps a current cart per identity). */
export interface CartOwner {
  visitorId: string;
  memberId?: string;
}

export function ownerKey(owner: CartOwner): string {
  return owner.memberId ? `member:${owner.memberId}` : `visitor:${owner.visitorId}`;
}

/** A line as the store keeps it: the wire line, plus what merging and totals need. */
export interface StoredLine {
  /** The line item as the wire sends it (without the quantity-dependent fields, which `wireLine` adds). */
  line: Record<string, unknown>;
  quantity: number;
  /** The unit price after catalog discounts. */
  unitPrice: number;
  /** Identifies "the same product with the same options" for merging. */
  mergeKey: string;
  shippable: boolean;
}

export interface StoredCart {
  id: string;
  owner: CartOwner;
  lines: StoredLine[];
  createdMs: number;
  updatedMs: number;
  revision: number;
  checkoutId?: string;
  purchaseFlowId: string;
}

/** A checkout made from a cart: its owner and the lines it was made of (the emulator serves no checkout API). */
export interface StoredCheckout {
  id: string;
  owner: CartOwner;
  cartId: string;
  lineCount: number;
  createdMs: number;
}

/** Bounds after which the oldest carts and checkouts are forgotten, so a long-running emulator does not grow without bound. */
const MAX_CARTS = 50_000;
const MAX_CHECKOUTS = 50_000;

/** The carts and checkouts of a running emulator, in memory. */
export class CartStore {
  private readonly carts = new Map<string, StoredCart>();
  private readonly checkouts = new Map<string, StoredCheckout>();

  /** The owner's current cart, if any. */
  get(owner: CartOwner): StoredCart | undefined {
    return this.carts.get(ownerKey(owner));
  }

  /** The owner's current cart, created empty when there is none. */
  getOrCreate(owner: CartOwner, now: number): StoredCart {
    const key = ownerKey(owner);
    let cart = this.carts.get(key);
    if (!cart) {
      cart = { id: randomUUID(), owner: { ...owner }, lines: [], createdMs: now, updatedMs: now, revision: 0, purchaseFlowId: randomUUID() };
      this.carts.set(key, cart);
      if (this.carts.size > MAX_CARTS) this.carts.delete(this.carts.keys().next().value!);
    }
    return cart;
  }

  delete(owner: CartOwner): boolean {
    return this.carts.delete(ownerKey(owner));
  }

  addCheckout(checkout: StoredCheckout): void {
    this.checkouts.set(checkout.id, checkout);
    if (this.checkouts.size > MAX_CHECKOUTS) this.checkouts.delete(this.checkouts.keys().next().value!);
  }

  checkout(id: string): StoredCheckout | undefined {
    return this.checkouts.get(id);
  }

  /** Forgets every cart and checkout (the emulator's reset). */
  clear(): void {
    this.carts.clear();
    this.checkouts.clear();
  }

  get size(): number {
    return this.carts.size;
  }
}
