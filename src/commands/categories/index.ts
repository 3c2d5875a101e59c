import type { Command } from 'commander';
import type { IO } from '../../output/io.js';
import { catalogOption, registerResourceCommands } from '../list/resource.js';

/** `wixq categories list | get`: Catalog V3's product categories (the Stores tree of @wix/categories). */
export function registerCategories(program: Command, io: IO): void {
  registerResourceCommands(program, io, {
    noun: 'categories',
    singular: 'category',
    description: 'Wix Stores categories (Catalog V3; on a Catalog V1 site, its collections)',
    extraOptions: catalogOption,
    listExamples: ['wixq categories list', 'wixq categories list --sort name --fields _id,slug,name,itemCounter'],
    getExamples: ['wixq categories get <category slug>', 'wixq categories get <category ID> --json'],
  });
}
