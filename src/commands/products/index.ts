import type { Command } from 'commander';
import type { IO } from '../../output/io.js';
import { catalogOption, registerResourceCommands } from '../list/resource.js';

/** `wixq products list | get`: Wix Stores products on Catalog V1 or V3. */
export function registerProducts(program: Command, io: IO): void {
  registerResourceCommands(program, io, {
    noun: 'products',
    singular: 'product',
    description: 'Wix Stores products (Catalog V1 or V3, detected per site)',
    extraOptions: catalogOption,
    listExamples: [
      'wixq products list',
      'wixq products list --filter "price.price>20" --sort -price.price --limit 10',
      'wixq products list --all -o ndjson > products.ndjson',
      'wixq products list --fields name,slug,price.price -o csv',
    ],
    getExamples: ['wixq products get linen-summer-shirt', 'wixq products get 9a5d83fd-8570-482e-81ab-cfa88942ee60 --json'],
  });
}
