// The obvious way to query a Wix project without wixq: a Node script that imports the SDK, starts a fresh visitor
// session and asks for the first page of products. `npm run bench` times wixq against it.
// Usage: WIX_CLIENT_ID=<id> WIXQ_API_URL=<emulator URL> node scripts/baseline-products.mjs
import { createClient, OAuthStrategy } from '@wix/sdk';
import { products } from '@wix/stores';
import '@wix/bookings';

const apiUrl = process.env.WIXQ_API_URL;
if (apiUrl) {
  // Same redirect wixq does: the SDK calls https://www.wixapis.com (tokens) and https://edge.wixapis.com (module calls).
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return realFetch(url.replace(/^https:\/\/(www|edge)\.wixapis\.com/, apiUrl), init);
  };
}

const client = createClient({ modules: { products }, auth: OAuthStrategy({ clientId: process.env.WIX_CLIENT_ID }) });
const result = await client.products.queryProducts().find();
process.stdout.write(JSON.stringify(result.items, null, 2) + '\n');
