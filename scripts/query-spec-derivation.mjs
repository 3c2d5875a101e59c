// Derives wixq's query-spec table from the installed SDK's typings: each list API's `XQuerySpec` / `XSearchSpec`
// (fields, operators, sort, paging, searchable), with `'*'` expanded to the operators @wix/sdk-types gives the
// field's type (its `ApplicableOperators`). Used by scripts/gen-query-specs.mjs and by the drift test.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The list APIs wixq calls: spec name → SDK package and the spec interface its typings declare. */
export const SPEC_SOURCES = [
  { name: 'productsV1', sdkPackage: '@wix/auto_sdk_stores_products', sdkType: 'ProductQuerySpec' },
  { name: 'collectionsV1', sdkPackage: '@wix/auto_sdk_stores_collections', sdkType: 'CollectionQuerySpec' },
  { name: 'productsV3Query', sdkPackage: '@wix/auto_sdk_stores_products-v-3', sdkType: 'V3ProductQuerySpec' },
  { name: 'productsV3Search', sdkPackage: '@wix/auto_sdk_stores_products-v-3', sdkType: 'V3ProductSearchSpec' },
  { name: 'categoriesQuery', sdkPackage: '@wix/auto_sdk_categories_categories', sdkType: 'CategoryQuerySpec' },
  { name: 'categoriesSearch', sdkPackage: '@wix/auto_sdk_categories_categories', sdkType: 'CategorySearchSpec' },
  { name: 'servicesQuery', sdkPackage: '@wix/auto_sdk_bookings_services', sdkType: 'ServiceQuerySpec' },
  { name: 'variantsV3Query', sdkPackage: '@wix/auto_sdk_stores_read-only-variants-v-3', sdkType: 'ReadOnlyVariantQuerySpec' },
];

// The order in which @wix/sdk-types' ApplicableOperators tests a field's type; checked against its declaration so a
// change there fails the derivation instead of silently mis-expanding '*'.
const APPLICABLE_OPERATORS_CHAIN = [
  'EnumOperators',
  'StringOperators',
  'NumberOperators',
  'BooleanOperators',
  'Date',
  'DateOperators',
  'ArrayOfObjectsOperators',
  'ArrayOfPrimitivesOperators',
  'ObjectOperators',
];

/** The `.d.ts` file of `sdkPackage` (cjs build) that declares `interface <sdkType>`. */
export function findSpecFile(sdkPackage, sdkType, root = PROJECT_ROOT) {
  const dir = join(root, 'node_modules', sdkPackage, 'build', 'cjs');
  const pattern = new RegExp(`\\binterface ${sdkType} extends (Query|Search)Spec\\b`);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.d.ts')).sort()) {
    const path = join(dir, file);
    if (pattern.test(readFileSync(path, 'utf8'))) return path;
  }
  throw new Error(`${sdkPackage}: no .d.ts under build/cjs declares ${sdkType}`);
}

function find(node, test) {
  if (test(node)) return node;
  return ts.forEachChild(node, (child) => find(child, test));
}

function findAll(node, test, out = []) {
  if (test(node)) out.push(node);
  ts.forEachChild(node, (child) => void findAll(child, test, out));
  return out;
}

function literalValues(checker, type) {
  if (type.isStringLiteral()) return [type.value];
  if (checker.isTupleType(type)) return checker.getTypeArguments(type).flatMap((t) => literalValues(checker, t));
  throw new Error(`expected string literals, got ${checker.typeToString(type)}`);
}

function propertyType(checker, type, name) {
  const symbol = type.getProperty(name);
  return symbol ? checker.getTypeOfSymbol(symbol) : undefined;
}

/** Reads @wix/sdk-types' operator aliases (`StringOperators`, …) in declaration order, references expanded. */
function readOperatorAliases(sdkTypesFile) {
  const aliases = new Map();
  for (const statement of sdkTypesFile.statements) {
    if (ts.isTypeAliasDeclaration(statement)) aliases.set(statement.name.text, statement);
  }
  const expand = (typeNode) => {
    if (ts.isUnionTypeNode(typeNode)) return typeNode.types.flatMap(expand);
    if (ts.isLiteralTypeNode(typeNode) && ts.isStringLiteral(typeNode.literal)) return [typeNode.literal.text];
    if (ts.isTypeReferenceNode(typeNode) && ts.isIdentifier(typeNode.typeName)) {
      const target = aliases.get(typeNode.typeName.text);
      if (target) return expand(target.type);
    }
    throw new Error(`@wix/sdk-types: cannot read operator type ${typeNode.getText(sdkTypesFile)}`);
  };
  const applicable = aliases.get('ApplicableOperators');
  if (!applicable) throw new Error('@wix/sdk-types: ApplicableOperators not found');
  const chain = [];
  for (const ref of findAll(applicable.type, ts.isTypeReferenceNode)) {
    const name = ref.typeName.getText(sdkTypesFile);
    if ((name.endsWith('Operators') || name === 'Date') && name !== 'ApplicableOperators' && !chain.includes(name)) chain.push(name);
  }
  if (JSON.stringify(chain) !== JSON.stringify(APPLICABLE_OPERATORS_CHAIN)) {
    throw new Error(`@wix/sdk-types: ApplicableOperators changed shape (${chain.join(', ')}); update the derivation`);
  }
  const operators = {};
  for (const name of APPLICABLE_OPERATORS_CHAIN) if (name !== 'Date') operators[name] = expand(aliases.get(name).type);
  return operators;
}

const NULLISH = ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void;

function constituents(type) {
  const parts = type.isUnion() ? type.types : [type];
  return parts.filter((t) => !(t.flags & NULLISH));
}

function isObjectLike(t) {
  return Boolean(t.flags & (ts.TypeFlags.Object | ts.TypeFlags.NonPrimitive | ts.TypeFlags.Intersection));
}

/** The operator alias ApplicableOperators picks for a field of `type` (mirrors its conditional chain). */
function operatorAliasFor(checker, type) {
  const parts = constituents(type);
  if (parts.length === 0 || parts.some((t) => t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) {
    throw new Error(`cannot classify ${checker.typeToString(type)}`);
  }
  const all = (flags) => parts.every((t) => t.flags & flags);
  if (all(ts.TypeFlags.StringLike)) {
    // IsEnumLike: false as soon as plain `string` is part of the type.
    return parts.some((t) => t.flags & ts.TypeFlags.String) ? ['StringOperators'] : ['EnumOperators'];
  }
  if (all(ts.TypeFlags.NumberLike)) return ['NumberOperators'];
  if (all(ts.TypeFlags.BooleanLike)) return ['BooleanOperators'];
  if (parts.every((t) => t.getSymbol()?.getName() === 'Date')) return ['DateOperators'];
  if (parts.every((t) => checker.isArrayType(t))) {
    // `E extends object ? …` distributes over the element type's union.
    const elements = parts.flatMap((t) => constituents(checker.getTypeArguments(t)[0]));
    const aliases = new Set(elements.map((e) => (isObjectLike(e) ? 'ArrayOfObjectsOperators' : 'ArrayOfPrimitivesOperators')));
    return APPLICABLE_OPERATORS_CHAIN.filter((n) => aliases.has(n));
  }
  if (parts.every(isObjectLike)) return ['ObjectOperators'];
  return [];
}

/**
 * The type of value a field takes, from its TypeScript type: `'string'` (`'decimal-string'` when tagged
 * `@decimalValue`), `'number'`, `'boolean'`, `'date'`,
 * `'object'`, `{ enum: [...] }` (a union of string literals, Wix's `…WithLiterals` enums) or `{ arrayOf: <type> }`;
 * undefined when the typings do not say (any, unknown, a mix of kinds).
 */
function valueTypeOfParts(checker, parts) {
  if (parts.length === 0 || parts.some((t) => t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) return undefined;
  const all = (flags) => parts.every((t) => t.flags & flags);
  if (all(ts.TypeFlags.StringLike)) {
    if (parts.some((t) => t.flags & ts.TypeFlags.String || !t.isStringLiteral())) return 'string';
    return { enum: [...new Set(parts.map((t) => t.value))] };
  }
  if (all(ts.TypeFlags.NumberLike)) return 'number';
  if (all(ts.TypeFlags.BooleanLike)) return 'boolean';
  if (parts.every((t) => t.getSymbol()?.getName() === 'Date')) return 'date';
  if (parts.every((t) => checker.isArrayType(t))) {
    const element = valueTypeOfParts(checker, parts.flatMap((t) => constituents(checker.getTypeArguments(t)[0])));
    return element === undefined ? undefined : { arrayOf: element };
  }
  if (parts.every(isObjectLike)) return 'object';
  return undefined;
}

/** The type of `path` inside `entity`, walking arrays by element as ApplicableOperators does; undefined when absent. */
function fieldType(checker, entity, path) {
  let type = entity;
  for (const segment of path.split('.')) {
    let holder = checker.getNonNullableType(type);
    if (checker.isArrayType(holder)) holder = checker.getNonNullableType(checker.getTypeArguments(holder)[0]);
    const next = propertyType(checker, holder, segment);
    if (!next) return undefined;
    type = next;
  }
  return type;
}

/** Whether the last property of `path` carries the typings' `@decimalValue` tag (a decimal number written as text). */
function isDecimalValue(checker, entity, path) {
  const segments = path.split('.');
  const holderType = segments.length === 1 ? entity : fieldType(checker, entity, segments.slice(0, -1).join('.'));
  if (!holderType) return false;
  let holder = checker.getNonNullableType(holderType);
  if (checker.isArrayType(holder)) holder = checker.getNonNullableType(checker.getTypeArguments(holder)[0]);
  const symbol = holder.getProperty(segments[segments.length - 1]);
  return Boolean(symbol?.getJsDocTags(checker).some((tag) => tag.name === 'decimalValue'));
}

/** The entity a spec is about: the first type argument of `Query<Entity, Spec>` / `Search<Entity, Spec>` in its file. */
function entityTypeNode(sourceFile, sdkType) {
  const ref = find(
    sourceFile,
    (n) =>
      ts.isTypeReferenceNode(n) &&
      (n.typeArguments?.length ?? 0) >= 2 &&
      ts.isTypeReferenceNode(n.typeArguments[1]) &&
      n.typeArguments[1].typeName.getText(sourceFile) === sdkType,
  );
  if (!ref) throw new Error(`no Query<Entity, ${sdkType}> or Search<Entity, ${sdkType}> in ${sourceFile.fileName}`);
  return ref.typeArguments[0];
}

/** How deep the typed paths of an entity go (`a.b.c`); below that any path is taken (nested data is open-ended). */
export const FIELD_TREE_DEPTH = 3;

/**
 * The typed paths of an entity for `--fields`: `{ key: 1 }` for a key with no fields of its own (a scalar, or a list
 * of scalars), `{ key: { … } }` for an object (or a list of objects: a path goes through a list to its elements'
 * fields), `{ key: 0 }` where the typings stop saying (any, an open record, a recursive type, or deeper than
 * FIELD_TREE_DEPTH).
 */
function fieldTree(checker, type, depth, stack) {
  let parts = constituents(type);
  // A list's paths are its elements' (`variants.sku`).
  parts = parts.flatMap((t) => (checker.isArrayType(t) ? constituents(checker.getTypeArguments(t)[0]) : [t]));
  if (parts.some((t) => t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) return 0;
  const objects = parts.filter((t) => isObjectLike(t) && t.getSymbol()?.getName() !== 'Date' && !checker.isArrayType(t));
  if (objects.length === 0) return 1;
  if (depth >= FIELD_TREE_DEPTH || objects.some((t) => stack.includes(t))) return 0;
  if (objects.some((t) => checker.getIndexInfosOfType(t).length > 0)) return 0;
  const tree = {};
  for (const object of objects) {
    for (const property of checker.getPropertiesOfType(object)) {
      const child = fieldTree(checker, checker.getTypeOfSymbol(property), depth + 1, [...stack, object]);
      tree[property.name] = mergeTrees(tree[property.name], child);
    }
  }
  return Object.keys(tree).length === 0 ? 0 : tree;
}

function mergeTrees(a, b) {
  if (a === undefined) return b;
  if (a === 0 || b === 0) return 0;
  if (a === 1) return b;
  if (b === 1) return a;
  const out = { ...a };
  for (const [key, value] of Object.entries(b)) out[key] = mergeTrees(out[key], value);
  return out;
}

/** Derives every spec of SPEC_SOURCES from the installed typings; returns `{ [name]: QuerySpec }`. */
export function deriveQuerySpecs(root = PROJECT_ROOT) {
  return derive(root).specs;
}

/** The typed paths of every entity the specs are about, for `--fields`: `{ [entityType]: tree }` (see fieldTree). */
export function deriveEntityFields(root = PROJECT_ROOT) {
  return derive(root).entities;
}

const derived = new Map();

function derive(root) {
  if (!derived.has(root)) derived.set(root, deriveAll(root));
  return derived.get(root);
}

function deriveAll(root) {
  const files = SPEC_SOURCES.map((s) => findSpecFile(s.sdkPackage, s.sdkType, root));
  // No DOM lib and no @types: the typings need only ES types, and loading less keeps the drift test quick.
  const options = { noEmit: true, skipLibCheck: true, strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'], types: [] };
  const program = ts.createProgram([...new Set(files)], options);
  const checker = program.getTypeChecker();
  const specs = {};
  const entities = {};
  SPEC_SOURCES.forEach((source, i) => {
    const sourceFile = program.getSourceFile(files[i]);
    const resolved = ts.resolveModuleName('@wix/sdk-types', files[i], options, ts.sys).resolvedModule;
    if (!resolved) throw new Error(`${source.sdkPackage}: cannot resolve @wix/sdk-types`);
    const operatorAliases = readOperatorAliases(program.getSourceFile(resolved.resolvedFileName));
    const declaration = find(sourceFile, (n) => ts.isInterfaceDeclaration(n) && n.name.text === source.sdkType);
    const specType = checker.getTypeAtLocation(declaration.name);
    const typeNode = entityTypeNode(sourceFile, source.sdkType);
    const entity = checker.getTypeFromTypeNode(typeNode);
    const paging = literalValues(checker, propertyType(checker, specType, 'paging'))[0];
    const fields = {};
    for (const group of checker.getTypeArguments(propertyType(checker, specType, 'wql'))) {
      const sort = literalValues(checker, propertyType(checker, group, 'sort'))[0];
      const declared = literalValues(checker, propertyType(checker, group, 'operators'));
      for (const field of literalValues(checker, propertyType(checker, group, 'fields'))) {
        const type = declared.length === 1 && declared[0] === '*' ? fieldType(checker, entity, field) : undefined;
        // A '*' field missing from the entity type gets `never` from ApplicableOperators: no operator at all.
        const operators = type ? operatorAliasFor(checker, type).flatMap((alias) => operatorAliases[alias]) : declared[0] === '*' ? [] : declared;
        if (fields[field]) throw new Error(`${source.sdkType}: ${field} is declared twice`);
        const declaredType = fieldType(checker, entity, field);
        let valueType = declaredType ? valueTypeOfParts(checker, constituents(declaredType)) : undefined;
        // Money amounts are strings holding a decimal number (`"3.99"`), tagged `@decimalValue` in the typings.
        if (valueType === 'string' && isDecimalValue(checker, entity, field)) valueType = 'decimal-string';
        fields[field] = { operators: [...new Set(operators)], sort, ...(valueType !== undefined && { type: valueType }) };
      }
    }
    const entityName = typeNode.getText(sourceFile);
    if (!entities[entityName]) entities[entityName] = fieldTree(checker, entity, 0, []);
    const searchableType = propertyType(checker, specType, 'searchable');
    specs[source.name] = {
      name: source.name,
      sdkType: source.sdkType,
      sdkPackage: source.sdkPackage,
      entityType: typeNode.getText(sourceFile),
      paging,
      fields,
      ...(searchableType && { searchable: literalValues(checker, searchableType) }),
    };
  });
  return { specs, entities };
}
