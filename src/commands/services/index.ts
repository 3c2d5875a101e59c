import type { Command } from 'commander';
import type { IO } from '../../output/io.js';
import { registerResourceCommands } from '../list/resource.js';
import { addWebOptions } from '../list/web-options.js';

/** `wixq services list | get`: Wix Bookings services. */
export function registerServices(program: Command, io: IO): void {
  const group = registerResourceCommands(program, io, {
    noun: 'services',
    singular: 'service',
    description: 'Wix Bookings services',
    listExamples: [
      'wixq services list',
      'wixq services list --filter type=CLASS --fields _id,name,type',
      'wixq services list --include-hidden --fields name,hidden',
    ],
    getExamples: [
      'wixq services get <service ID>',
      'wixq services get morning-yoga-flow',
      'wixq services get morning-yoga-flow --web --no-browser     the service page URL (--web alone opens it)',
    ],
  });
  addWebOptions(group, 'service');
  const list = group.commands.find((c) => c.name() === 'list')!;
  list.option('--include-hidden', "also list hidden services (by default only Wix Bookings' visible services are listed; a --filter on hidden or appId decides that part itself)");
  list.description('list services (Wix Bookings\' own, hidden ones left out)');
}
