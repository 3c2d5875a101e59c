// An esbuild plugin: puts src/wix/sdk/rename-nested-keys.ts (the SDK's response key renaming, with less work) in place
// of `@wix/sdk-runtime`'s `build/rename-all-nested-keys.js` in the bundle, in each copy the SDK modules nest. Only a
// copy whose file, and the `field-rename.js` beside it, are byte for byte the ones it was written against (1.0.25,
// SHA-256 below) is replaced; any other is bundled as it is, still right, only slower, and
// test/unit/rename-nested-keys.test.ts fails until the new file is compared and its hash added here.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** SHA-256 of the files the replacement was checked against (@wix/sdk-runtime 1.0.25). */
export const KNOWN_RENAME_FILE = '5881b377c618f964f7d89684ef747c386696eec6f60398bdcf52ec2ad1b74a7f';
export const KNOWN_FIELD_RENAME_FILE = '8ef3568cf2ffb841d107748b61e530c6d8cf00c63f41806a10486169c67587ee';

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

export function sdkRuntimePlugin(root) {
  const replacement = join(root, 'src', 'wix', 'sdk', 'rename-nested-keys.ts');
  return {
    name: 'wixq-sdk-runtime-rename',
    setup(build) {
      build.onLoad({ filter: /[\\/]@wix[\\/]sdk-runtime[\\/]build[\\/]rename-all-nested-keys\.js$/ }, async (args) => {
        const dir = dirname(args.path);
        const [own, fieldRename] = await Promise.all([readFile(args.path, 'utf8'), readFile(join(dir, 'field-rename.js'), 'utf8').catch(() => '')]);
        if (sha256(own) !== KNOWN_RENAME_FILE || sha256(fieldRename) !== KNOWN_FIELD_RENAME_FILE) return undefined;
        return {
          resolveDir: dir,
          loader: 'js',
          contents: [
            "import { RESTResponseToSDKResponseRenameMap, SDKRequestToRESTRequestRenameMap } from './constants.js';",
            "import { renameSortFieldNameValue } from './field-rename.js';",
            `import { renameAllNestedKeys as renameNested } from ${JSON.stringify(replacement)};`,
            'export function renameAllNestedKeys(payload, renameMap, ignorePaths) {',
            '  return renameNested(payload, renameMap, ignorePaths, renameSortFieldNameValue);',
            '}',
            'export function renameKeysFromSDKRequestToRESTRequest(payload, ignorePaths = []) {',
            '  return renameAllNestedKeys(payload, SDKRequestToRESTRequestRenameMap, ignorePaths);',
            '}',
            'export function renameKeysFromRESTResponseToSDKResponse(payload, ignorePaths = []) {',
            '  return renameAllNestedKeys(payload, RESTResponseToSDKResponseRenameMap, ignorePaths);',
            '}',
            '',
          ].join('\n'),
        };
      });
    },
  };
}
