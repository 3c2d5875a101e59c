import type { Command } from 'commander';
import type { IO } from '../../output/io.js';
import { DEFAULT_API_URL } from '../../wix/hosts.js';
import { examples } from '../help.js';
import { withContext } from '../with-context.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Registers `wixq api <METHOD> <path>`, the raw REST escape hatch (like `gh api`). */
export function registerApi(program: Command, io: IO): void {
  program
    .command('api')
    .description("raw REST call to the Wix API with the session's token; prints the response JSON")
    .argument('<method>', 'GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS')
    .argument('<path>', `path under ${DEFAULT_API_URL} (/stores/v3/provision/version), or a full ${DEFAULT_API_URL}/... URL`)
    .option('-d, --data <json>', 'JSON request body: inline, @file, or - to read stdin')
    .option('-H, --header <name:value>', 'extra request header (repeatable)', collect)
    .option('--paginate', 'follow offset or cursor paging (POST queries) and print one JSON array of every item')
    .option('-i, --include', 'print the response status line and headers on stderr')
    .addHelpText(
      'after',
      examples([
        'wixq api GET /stores/v3/provision/version',
        'wixq api GET /stores-reader/v1/products/<product ID>    (Catalog V1 sites)',
        'wixq api POST /stores-reader/v1/products/query-platformized --data \'{"query":{"filter":{"name":{"$startsWith":"Premium"}}}}\'    (Catalog V1)',
        'wixq api POST /stores-reader/v1/products/query-platformized --data @query.json --paginate | jq length    (Catalog V1)',
        'echo \'{"query":{"cursorPaging":{"limit":100}}}\' | wixq api POST /stores/v3/products/query --data - --paginate    (Catalog V3)',
        'wixq api GET /_api/bookings/v2/services/<service ID> -i',
      ]),
    )
    .action(async (method: string, path: string, flags: Record<string, unknown>, command: Command) => {
      const { parseApiRequest, runApi } = await import('./run.js');
      await withContext(io, command, async (ctx) => {
        // Everything is checked (bad JSON is exit 2) before a session is asked for or a request sent.
        const request = await parseApiRequest(method, path, flags, io, ctx.settings().apiUrl);
        await runApi(request, ctx);
      });
    });
}
