import { it } from 'vitest';
import { startProject } from '../helpers/project.js';
it('try', async () => {
  for (const catalog of ['v1', 'v3'] as const) {
    const p = await startProject({ catalog });
    const show = async (args: string[], opts: any = {}) => { const r = await p.run(args, opts); console.log(`## ${catalog} wixq ${args.join(' ')} -> ${r.code}\n${r.stdout}${r.stderr}`); return r; };
    await show(['cart'], { tty: true });
    await show(['cart', 'add', 'premium-cotton-shirt']);
    const mark0 = p.apiRequests().length;
    await show(['cart', 'add', 'premium-cotton-shirt', '--option', 'size=m', '--option', 'Color=Charcoal', '--quantity', '2'], { tty: true });
    console.log(p.apiRequests().slice(mark0).map((r) => `${r.method} ${r.path} ${JSON.stringify(r.body)}`).join('\n'));
    await show(['cart', 'add', 'coastal-stoneware-wall-clock', '--option', 'Color=Black'], { tty: true });
    console.log(p.apiRequests().map((r) => `${r.method} ${r.path} ${JSON.stringify(r.body)}`).slice(-2).join('\n'));
    await show(['cart', 'add', 'premium-wool-rug'], { tty: true });
    const mark = p.apiRequests().length;
    await show(['cart'], { tty: true });
    console.log(p.apiRequests().slice(mark).map((r) => r.method + ' ' + r.path).join(' | '));
    await show(['cart', 'update', 'premium-wool-rug', '--quantity', '3'], { tty: true });
    await show(['cart', 'remove', 'premium-cotton-shirt'], { tty: true });
    await show(['cart', 'checkout']);
    await show(['cart', '-o', 'csv']);
    await show(['cart', 'clear']);
    await show(['cart', 'checkout']);
    await show(['cart', 'clear']);
    await p.close();
  }
});
