#!/usr/bin/env node
// The physical floor of a warm `wixq products list --json --limit N` (`npm run bench` times wixq against it): Node,
// the stored session read from tokens.json as wixq stores it, ONE raw node:http request for the same page wixq asks
// for (Catalog V1 Query Products, as the SDK sends it: GET with the query in `.r`), the answer parsed, the items
// printed as `--json` prints them. No dependency, no checks, no renewal: what no CLI can do with less.
// Usage: WIXQ_CONFIG_DIR=<dir> WIXQ_API_URL=<emulator URL> WIXQ_CLIENT_ID=<id> node scripts/floor-list.mjs [limit]
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

const { WIXQ_CONFIG_DIR: dir, WIXQ_API_URL: apiUrl, WIXQ_CLIENT_ID: clientId } = process.env;
const limit = Number(process.argv[2] ?? 50);
const api = new URL(apiUrl).href.replace(/\/+$/, '');
const { sessions } = JSON.parse(readFileSync(join(dir, 'tokens.json'), 'utf8'));
const session = sessions[`default:${clientId} ${api}`];
if (!session) throw new Error('no stored session: run wixq once first');

const query = Buffer.from(JSON.stringify({ query: { filter: {}, paging: { limit, offset: 0 } } })).toString('base64url');
const req = request(`${api}/stores-reader/v1/products/query-platformized?.r=${query}`, { headers: { Authorization: session.accessToken.value } }, (res) => {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => {
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
    const { products } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    process.stdout.write(JSON.stringify(products, null, 2) + '\n');
  });
});
req.end();
