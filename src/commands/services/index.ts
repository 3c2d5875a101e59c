import type { Command } from 'commander';
import type { IO } from '../../output/io.js';
import { registerResourceCommands } from '../list/resource.js';

/** `wixq services list | get`: Wix Bookings services. */
export function registerServices(program: Command, io: IO): void {
  registerResourceCommands(program, io, {
    noun: 'services',
    singular: 'service',
    description: 'Wix Bookings services',
    listExamples: ['wixq services list', 'wixq services list --filter type=CLASS --fields _id,name,type'],
    getExamples: ['wixq services get <service ID>', 'wixq services get morning-yoga-flow'],
  });
}
