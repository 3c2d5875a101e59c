import type { Command } from 'commander';
import type { IO } from '../../output/io.js';
import { catalogOption, registerResourceCommands } from '../list/resource.js';

/** `wixq collections list | get`: Wix Stores collections (Catalog V1). */
export function registerCollections(program: Command, io: IO): void {
  registerResourceCommands(program, io, {
    noun: 'collections',
    singular: 'collection',
    description: 'Wix Stores collections (Catalog V1; on a Catalog V3 site, its categories)',
    extraOptions: catalogOption,
    listExamples: ['wixq collections list', 'wixq collections list --filter "name^=Sum" --json'],
    getExamples: ['wixq collections get summer-collection'],
  });
}
