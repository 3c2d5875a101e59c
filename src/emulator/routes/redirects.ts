import { applicationError, invalidField } from '../http.js';
import type { EmulatorState } from '../state.js';

/**
 * The `ecomCheckout` intent of a redirect session (`@wix/auto_sdk_redirects_redirects` `createRedirectSession`;
 * docs/wix-api.md 15): Wix answers the URL of its hosted checkout page for a checkout made from a cart. The emulator
 * answers a URL on the demo site (`siteUrl`), `<siteUrl>/checkout?checkoutId=…` plus the callbacks it was given; the
 * route itself sits with the other intents in routes/oauth.ts.
 */

/** `CallbackParams` of the typings: each an optional URL of at most 2,048 characters. */
const CALLBACK_KEYS = ['thankYouPageUrl', 'postFlowUrl', 'loginUrl', 'bookingsServiceListUrl', 'cartPageUrl', 'planListUrl'] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The callbacks of a redirect session, checked: known keys, absolute URLs. */
function readCallbacks(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw invalidField('callbacks', 'must be an object', 'FORMAT');
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(CALLBACK_KEYS as readonly string[]).includes(key)) throw invalidField(`callbacks.${key}`, 'is not a field of this request', 'FIELD_NOT_ALLOWED');
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string' || value.length > 2048) throw invalidField(`callbacks.${key}`, 'must be a URL of at most 2048 characters', 'FORMAT');
    try {
      new URL(value);
    } catch {
      throw applicationError(400, 'INVALID_CALLBACK_URL', `callbacks.${key} is not an absolute URL: ${value}`);
    }
    out[key] = value;
  }
  return out;
}

/** Where an `ecomCheckout` redirect session sends the buyer: the endpoint and its query parameters. */
export function ecomCheckoutTarget(state: EmulatorState, body: Record<string, unknown>): { endpoint: string; searchParams: Record<string, string> } {
  const intent = body.ecomCheckout;
  if (!isObject(intent)) throw invalidField('ecomCheckout', 'must be an object {checkoutId}', 'FORMAT');
  for (const key of Object.keys(intent)) if (key !== 'checkoutId') throw invalidField(`ecomCheckout.${key}`, 'is not a field of this request', 'FIELD_NOT_ALLOWED');
  const checkoutId = intent.checkoutId;
  if (checkoutId === undefined || checkoutId === null || checkoutId === '') throw invalidField('ecomCheckout.checkoutId', 'is required', 'REQUIRED_FIELD');
  if (typeof checkoutId !== 'string') throw invalidField('ecomCheckout.checkoutId', 'must be a GUID', 'FORMAT');
  const callbacks = readCallbacks(body.callbacks);
  if (!state.carts.checkout(checkoutId)) throw applicationError(404, 'CHECKOUT_NOT_FOUND', `Checkout ${checkoutId} not found`, { message: `Checkout ${checkoutId} not found` });
  return { endpoint: `${state.site.siteUrl.replace(/\/$/, '')}/checkout`, searchParams: { checkoutId, ...callbacks } };
}
