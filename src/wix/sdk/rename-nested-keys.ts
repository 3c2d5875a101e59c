// The SDK's response key renaming (`id` -> `_id`, `createdDate` -> `_createdDate`, …), which every SDK module runs over
// every key of every answer, written to do the same thing with less work. The SDK's own (`@wix/sdk-runtime` 1.0.25,
// `build/rename-all-nested-keys.js`) builds the dotted path of every key as a string and compares it with endsWith,
// which costs a warm list of 50 products several milliseconds and `--all` over 10,000 products about a fifth of its
// CPU. The path matters only for `ignorePaths` and for a string under `sort.fieldName`, so this one builds it only
// then. Everything else is the SDK's algorithm, step for step: the same key order (a renamed key moves to the end),
// the same in-place changes, the same quirks (a key the map inherits from Object.prototype, such as `constructor`).
// scripts/sdk-runtime-plugin.mjs puts it in place of the SDK's file in the bundle, only for the exact file it was
// written against; test/unit/rename-nested-keys.test.ts compares the two on generated answers.

type RenameMap = Record<string, string>;
type RenameSortFieldNameValue = (path: string, value: unknown, renameMap: RenameMap) => unknown;

/** The SDK's `renameAllNestedKeys(payload, renameMap, ignorePaths)`, with its `renameSortFieldNameValue` passed in. */
export function renameAllNestedKeys<T>(payload: T, renameMap: RenameMap, ignorePaths: string[], renameSortFieldNameValue: RenameSortFieldNameValue): T {
  const checkIgnored = ignorePaths.length > 0;
  // The keys from the payload down to the object being walked (array items share their array's path).
  const stack: string[] = [];
  const pathOf = (key: string): string => {
    let path = '';
    for (const k of stack) path = path === '' ? k : `${path}.${k}`;
    return path === '' ? key : `${path}.${key}`;
  };
  const traverse = (obj: unknown): void => {
    if (Array.isArray(obj)) {
      obj.forEach((item) => traverse(item));
      return;
    }
    if (typeof obj !== 'object' || obj === null) return;
    const record = obj as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      let path: string | undefined;
      if (checkIgnored) {
        path = pathOf(key);
        if (ignorePaths.includes(path)) continue;
      }
      const renamed = renameKey(key, renameMap);
      if (renamed !== key && !(renamed in record)) {
        record[renamed] = record[key];
        delete record[key];
      }
      const value = record[renamed];
      if (typeof value === 'string') {
        // Only a path that ends in `sort.fieldName` changes a value, and such a path's last key ends in `fieldName`.
        if (key.endsWith('fieldName')) record[renamed] = renameSortFieldNameValue(path ?? pathOf(key), value, renameMap);
      } else if (typeof value === 'object' && value !== null) {
        stack.push(key);
        traverse(value);
        stack.pop();
      }
    }
  };
  traverse(payload);
  return payload;
}

/** The SDK's `renameKey`, as it is (a map's inherited members included). */
function renameKey(key: string, renameMap: RenameMap): string {
  if (key.includes('.')) return key.split('.').map((part) => renameMap[part] ?? part).join('.');
  return renameMap[key] ?? key;
}
