#!/usr/bin/env node
// The physical floor of `wixq products list --all -o ndjson --concurrency N` (`npm run bench` times wixq against it):
// Node, the stored session read from tokens.json as wixq stores it, and the same pages wixq asks for (Catalog V1
// Query Products by offset, 100 a page, sorted by `numericId`, as the SDK sends them) over raw node:http: the first
// page (it says how many there are), then the rest N at a time in parallel, each page parsed and written as NDJSON in
// order as soon as every page before it has been. No dependency, no checks, no retries: what no CLI can do with less.
// Usage: WIXQ_CONFIG_DIR=<dir> WIXQ_API_URL=<emulator URL> WIXQ_CLIENT_ID=<id> node scripts/floor-all.mjs [concurrency]
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';

const { WIXQ_CONFIG_DIR: dir, WIXQ_API_URL: apiUrl, WIXQ_CLIENT_ID: clientId } = process.env;
const concurrency = Number(process.argv[2] ?? 16);
const PAGE = 100;
const api = new URL(apiUrl).href.replace(/\/+$/, '');
const { sessions } = JSON.parse(readFileSync(join(dir, 'tokens.json'), 'utf8'));
const session = sessions[`default:${clientId} ${api}`];
if (!session) throw new Error('no stored session: run wixq once first');
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

function page(offset, limit) {
  const query = { query: { filter: {}, sort: [{ fieldName: 'numericId', order: 'ASC' }], paging: { limit, offset } } };
  const url = `${api}/stores-reader/v1/products/query-platformized?.r=${Buffer.from(JSON.stringify(query)).toString('base64url')}`;
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { Authorization: session.accessToken.value } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
        else resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const write = (items) => {
  let text = '';
  for (const item of items) text += JSON.stringify(item) + '\n';
  return new Promise((resolve) => (process.stdout.write(text) ? resolve() : process.stdout.once('drain', resolve)));
};

const first = await page(0, PAGE);
await write(first.products);
const total = first.metadata.total;
const offsets = [];
for (let offset = PAGE; offset < total; offset += PAGE) offsets.push(offset);
// N requests in flight; pages are written in order, each as soon as it and every page before it are in.
const pending = new Map();
let next = 0;
const start = () => {
  if (next >= offsets.length) return;
  const offset = offsets[next++];
  pending.set(offset, page(offset, Math.min(PAGE, total - offset)));
};
for (let i = 0; i < concurrency; i++) start();
for (const offset of offsets) {
  const answer = await pending.get(offset);
  pending.delete(offset);
  start();
  await write(answer.products);
}
agent.destroy();
