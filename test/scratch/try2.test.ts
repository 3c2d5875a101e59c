import { it } from 'vitest';
import { startProject } from '../helpers/project.js';
it('try', async () => {
  for (const catalog of ['v1', 'v3'] as const) {
    const p = await startProject({ catalog });
    const show = async (args: string[], opts: any = {}) => { const r = await p.run(args, opts); console.log(`## ${catalog} wixq ${args.join(' ')} -> ${r.code}\n${r.stdout}${r.stderr}`); return r; };
    await show(['check', '--checkout'], { tty: true, columns: 160 });
    console.log(p.apiRequests().map((r) => r.method + ' ' + r.path).join(' | '));
    await p.control('POST', 'faults', { path: '/ecom/v1/carts/current/add-to-cart', status: 500 });
    await show(['check', '--checkout'], { tty: true, columns: 160 });
    await p.close();
  }
});
