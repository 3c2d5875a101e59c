// The build's licence rule, shared by tsup.config.ts (which imports to leave external), scripts/build.mjs (which
// checks the result and writes the notices) and test/project/licences.test.ts.
//
// The rule: dist/ may hold code only from packages whose licence is on ALLOWED_LICENCES. A package whose licence is
// not (Wix's `UNLICENSED` SDK packages) is never bundled: the import stays in dist/ as a bare specifier, and the
// package is a `dependency` that npm installs from the registry, pinned to the version the build resolved.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** SPDX identifiers whose terms allow redistribution inside an MIT package, given their notices are kept. */
export const ALLOWED_LICENCES = [
  'MIT',
  'MIT-0',
  'ISC',
  'BSD-2-Clause',
  'BSD-3-Clause',
  '0BSD',
  'Apache-2.0',
  'BlueOak-1.0.0',
  'Unlicense',
  'CC0-1.0',
  'Zlib',
];

/**
 * Whether an SPDX licence expression is allowed: `A OR B` when either side is, `A AND B` when both are,
 * `A WITH exception` when A is (an exception only adds permissions), parentheses as usual, `A+` as A.
 * Anything else (`UNLICENSED`, `SEE LICENSE IN …`, `LicenseRef-…`, a missing licence, a malformed expression) is not.
 */
export function licenceAllowed(expression) {
  if (typeof expression !== 'string' || expression.trim() === '') return false;
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const fail = () => {
    throw new Error(`malformed licence expression: ${expression}`);
  };
  const primary = () => {
    const t = tokens[i++];
    if (t === undefined) fail();
    if (t === '(') {
      const v = orExpr();
      if (tokens[i++] !== ')') fail();
      return v;
    }
    if (t === ')' || /^(AND|OR|WITH)$/i.test(t)) fail();
    const ok = ALLOWED_LICENCES.includes(t.replace(/\+$/, ''));
    if (peek()?.toUpperCase() === 'WITH') {
      i++;
      if (tokens[i++] === undefined) fail();
    }
    return ok;
  };
  const andExpr = () => {
    let v = primary();
    while (peek()?.toUpperCase() === 'AND') {
      i++;
      v = primary() && v;
    }
    return v;
  };
  const orExpr = () => {
    let v = andExpr();
    while (peek()?.toUpperCase() === 'OR') {
      i++;
      v = andExpr() || v;
    }
    return v;
  };
  try {
    const v = orExpr();
    return i === tokens.length ? v : false;
  } catch {
    return false;
  }
}

/**
 * The licence a package.json declares, as an SPDX expression: `license` (a string, or the legacy `{ type }`), or the
 * legacy `licenses` array (each of which applies: joined with AND, the strict reading). Undefined when none.
 */
export function declaredLicence(pkg) {
  const one = (l) => (typeof l === 'string' ? l : l && typeof l.type === 'string' ? l.type : undefined);
  if (pkg.license !== undefined) return one(pkg.license);
  if (Array.isArray(pkg.licenses) && pkg.licenses.length > 0) {
    const all = pkg.licenses.map(one);
    return all.every(Boolean) ? all.map((l) => (all.length > 1 ? `(${l})` : l)).join(' AND ') : undefined;
  }
  return undefined;
}

/** The package name of an import specifier: `@scope/name/sub/path` → `@scope/name`, `name/sub` → `name`. */
export function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Node.js built-ins that exist only with the `node:` prefix; esbuild drops the prefix in its output (undici's
 * `require('node:sqlite')` is `require("sqlite")` in dist/), so the metafile names them bare.
 */
const PREFIX_ONLY_BUILTINS = ['sea', 'sqlite', 'test', 'test/reporters'];

/** Whether a specifier names a Node.js built-in module (`node:fs`, `fs`, `fs/promises`, `sqlite` as above). */
export function isBuiltin(specifier) {
  return specifier.startsWith('node:') || builtinModules.includes(specifier) || PREFIX_ONLY_BUILTINS.includes(specifier);
}

const packageCache = new Map();

/**
 * The package a file belongs to: the directory after its last `node_modules/` segment (two segments for a scope),
 * or, for a file outside node_modules, the project itself (root). Returns its directory, name, version and licence.
 */
export function packageOfFile(file, root) {
  const abs = isAbsolute(file) ? file : resolve(root, file);
  const parts = abs.split(sep);
  const at = parts.lastIndexOf('node_modules');
  let dir = root;
  if (at !== -1) {
    const scoped = parts[at + 1]?.startsWith('@');
    dir = parts.slice(0, at + (scoped ? 3 : 2)).join(sep);
  }
  let info = packageCache.get(dir);
  if (!info) {
    const manifest = join(dir, 'package.json');
    const pkg = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')) : {};
    info = { dir, name: pkg.name ?? relative(root, dir), version: pkg.version ?? '?', licence: declaredLicence(pkg), pkg };
    packageCache.set(dir, info);
  }
  return info;
}

/** The metafile inputs that are files (esbuild also lists virtual modules such as `<define:…>` or `ns:path`). */
function fileInputs(meta) {
  return Object.keys(meta.inputs).filter((input) => !/^<|^[a-z-]+:/i.test(input));
}

/**
 * Checks a build's esbuild metafile against the licence rule and the project's package.json:
 *  - every bundled package's licence is allowed;
 *  - every bare import left in the output (not a Node.js built-in) is a package pinned in `dependencies` to the
 *    version the build resolved, and installed at the top of root/node_modules (where dist/ finds it at run time);
 *  - `dependencies` holds nothing else.
 * Returns the bundled packages (by name@version, with every directory they were bundled from), the external
 * packages, and the problems found (an empty list when the build is fine).
 */
export function checkBuild(meta, root, project = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))) {
  const problems = [];
  const bundled = new Map();
  for (const input of fileInputs(meta)) {
    const info = packageOfFile(input, root);
    if (info.dir === root) continue;
    const key = `${info.name}@${info.version}`;
    const entry = bundled.get(key) ?? { ...info, dirs: new Set(), files: [] };
    entry.dirs.add(info.dir);
    entry.files.push(input);
    bundled.set(key, entry);
  }
  for (const entry of bundled.values()) {
    if (!licenceAllowed(entry.licence)) {
      problems.push(
        `dist/ holds code of ${entry.name}@${entry.version}, whose licence ${JSON.stringify(entry.licence ?? null)} is not on the allow-list (${entry.files[0]})`,
      );
    }
  }

  const externals = new Map();
  for (const [output, info] of Object.entries(meta.outputs)) {
    for (const imp of info.imports) {
      if (!imp.external || isBuiltin(imp.path) || imp.path.startsWith('.')) continue;
      const name = packageNameOf(imp.path);
      const entry = externals.get(name) ?? { name, specifiers: new Set(), outputs: new Set() };
      entry.specifiers.add(imp.path);
      entry.outputs.add(output);
      externals.set(name, entry);
    }
  }
  const dependencies = project.dependencies ?? {};
  for (const ext of externals.values()) {
    const installed = join(root, 'node_modules', ...ext.name.split('/'), 'package.json');
    const version = existsSync(installed) ? JSON.parse(readFileSync(installed, 'utf8')).version : undefined;
    ext.version = version;
    if (!(ext.name in dependencies)) {
      problems.push(`dist/ imports ${ext.name} at run time, but package.json does not list it in "dependencies" (pin it: "${ext.name}": "${version ?? '<version>'}")`);
    } else if (dependencies[ext.name] !== version) {
      problems.push(`package.json pins ${ext.name} to "${dependencies[ext.name]}", but the build was made against ${version ?? 'no installed copy'}`);
    }
  }
  for (const name of Object.keys(dependencies)) {
    if (!externals.has(name)) problems.push(`package.json lists ${name} in "dependencies", but dist/ never imports it (move it to devDependencies)`);
  }
  return { bundled: [...bundled.values()].sort((a, b) => a.name.localeCompare(b.name)), externals: [...externals.values()], problems };
}

/**
 * The esbuild plugin that applies the rule while bundling: a bare import that resolves into a package whose licence
 * is not allowed stays an import (external), decided per resolved file, so the MIT `@wix/sdk-runtime` nested in each
 * `@wix/auto_sdk_*` package is bundled while the `UNLICENSED` top-level one is not. An external must resolve at run
 * time to the very copy the build saw: the build fails when that copy is nested (dist/ would load another version).
 */
export function licencePlugin(root) {
  return {
    name: 'wixq-licences',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData?.wixqLicences || args.kind === 'entry-point' || isBuiltin(args.path)) return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { wixqLicences: true },
        });
        if (resolved.errors.length > 0 || resolved.external || !isAbsolute(resolved.path)) return undefined;
        const info = packageOfFile(resolved.path, root);
        if (info.dir === root || licenceAllowed(info.licence)) return undefined;
        const topLevel = join(root, 'node_modules', ...info.name.split('/'));
        if (info.dir !== topLevel) {
          const importer = relative(root, args.importer);
          return {
            errors: [
              {
                text:
                  `${importer} imports ${args.path}, which resolves to ${relative(root, info.dir)} (${info.name}@${info.version}, ` +
                  `licence ${JSON.stringify(info.licence ?? null)}): it cannot be bundled, and left external dist/ would load ` +
                  `${relative(root, topLevel)} instead. Make ${info.name}@${info.version} a top-level dependency.`,
              },
            ],
          };
        }
        return { path: args.path, external: true };
      });
    },
  };
}

/** The licence files a package ships at its top: LICENSE, LICENCE, COPYING, NOTICE (any case, any extension). */
export function licenceFiles(dir) {
  return readdirSync(dir)
    .filter((f) => /^(licen[cs]e|copying|notice)([-._].*)?$/i.test(f))
    .sort()
    .map((f) => ({ file: f, text: readFileSync(join(dir, f), 'utf8').replace(/\r\n/g, '\n').trimEnd() }));
}

/** The standard MIT licence text (https://opensource.org/license/mit), for packages that name MIT but ship no file. */
export const MIT_TEXT = `Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the Software without restriction, including without limitation the
rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit
persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of the
Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE
WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`;

/** Who a package.json names as its author (a string or `{ name, email, url }`), or undefined. */
function authorOf(pkg) {
  const a = pkg.author;
  if (typeof a === 'string') return a;
  if (a && typeof a.name === 'string') return a.email ? `${a.name} <${a.email}>` : a.name;
  return undefined;
}

/**
 * THIRD_PARTY_NOTICES.md: every package bundled into dist/ with its version, licence and the full text of the
 * licence files it ships; where a package ships none, that is said, with its package.json licence (and, for MIT,
 * the standard text it refers to). The packages dist/ loads from node_modules are listed apart: npm installs them
 * with their own terms, wixq does not redistribute them.
 */
export function noticesMarkdown(project, bundled, externals) {
  const out = [
    '# Third-party notices',
    '',
    `${project.name} ${project.version} is MIT-licensed (see LICENSE). Its \`dist/\` bundles the code of the packages below,`,
    'each under its own licence; this file keeps their copyright and permission notices. It is generated by the build',
    '(`scripts/build.mjs`) from the bundler\'s metafile: every package that has code in `dist/` is here.',
    '',
  ];
  if (externals.length > 0) {
    out.push(
      'Not bundled: `dist/` imports these from `node_modules`, where npm installs them from the registry as dependencies',
      'of wixq, under their own terms:',
      '',
      ...externals.map((e) => `- \`${e.name}\` ${e.version ?? ''}`.trimEnd()),
      '',
    );
  }
  out.push('| package | version | licence | licence file |', '|---|---|---|---|');
  const withFiles = bundled.map((b) => ({ ...b, texts: licenceFiles(b.dir) }));
  for (const b of withFiles) {
    out.push(`| ${b.name} | ${b.version} | ${b.licence ?? '(none declared)'} | ${b.texts.map((t) => t.file).join(', ') || 'none shipped'} |`);
  }
  out.push('');
  for (const b of withFiles) {
    out.push(`## ${b.name} ${b.version}`, '', `Licence: ${b.licence ?? '(none declared)'}.`);
    const author = authorOf(b.pkg);
    if (author) out.push(`Author: ${author}.`);
    if (typeof b.pkg.homepage === 'string') out.push(`Homepage: ${b.pkg.homepage}`);
    out.push('');
    if (b.texts.length > 0) {
      for (const t of b.texts) out.push(`${t.file}:`, '', '```', t.text, '```', '');
    } else {
      out.push(
        `The package ships no licence file; its package.json declares the licence \`${b.licence ?? 'none'}\`.`,
        b.licence === 'MIT' ? 'The standard text of that licence, which applies to it:' : '',
        '',
      );
      if (b.licence === 'MIT') out.push('```', MIT_TEXT, '```', '');
    }
  }
  return out.filter((line, i, all) => !(line === '' && all[i - 1] === '')).join('\n');
}
