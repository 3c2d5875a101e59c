import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * Which fields of an entity the SDK typings declare optional (`?`): read from the REST-shaped interfaces of each
 * module's `build/es/meta.d.mts` (e.g. `Product` of @wix/auto_sdk_stores_products, `V3Product`, `Service`,
 * `Category`), walked along a sample object, so that the paths are the wire's own. Arrays are stepped into (`[0]`).
 */

export type Path = (string | number)[];

const programs = new Map<string, { program: ts.Program; file: ts.SourceFile }>();

function load(pkg: string): { program: ts.Program; file: ts.SourceFile } {
  let loaded = programs.get(pkg);
  if (!loaded) {
    const path = fileURLToPath(new URL(`../../node_modules/@wix/${pkg}/build/es/meta.d.mts`, import.meta.url));
    const program = ts.createProgram([path], { noEmit: true, skipLibCheck: true, types: [] });
    loaded = { program, file: program.getSourceFile(path)! };
    programs.set(pkg, loaded);
  }
  return loaded;
}

/** Every path of `sample` whose last property the typings mark optional (the interface `name` in `pkg`'s meta typings). */
export function optionalPaths(pkg: string, name: string, sample: unknown): Path[] {
  const { program, file } = load(pkg);
  const checker = program.getTypeChecker();
  const decl = file.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  if (!decl) throw new Error(`no interface ${name} in @wix/${pkg}`);
  const out: Path[] = [];
  const walk = (value: unknown, type: ts.Type, path: Path, depth: number) => {
    if (depth > 8 || typeof value !== 'object' || value === null) return;
    const t = checker.getNonNullableType(type);
    if (Array.isArray(value)) {
      const element = checker.isArrayType(t) ? checker.getTypeArguments(t as ts.TypeReference)[0] : undefined;
      if (element && value.length > 0) walk(value[0], element, [...path, 0], depth + 1);
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      const symbol = checker.getPropertyOfType(t, key);
      if (!symbol) continue;
      const childPath = [...path, key];
      if (symbol.flags & ts.SymbolFlags.Optional) out.push(childPath);
      walk(child, checker.getTypeOfSymbol(symbol), childPath, depth + 1);
    }
  };
  walk(sample, checker.getTypeAtLocation(decl), [], 0);
  return out;
}

/** A copy of `value` without the property (or array element) at `path`. */
export function without(value: unknown, path: Path): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at: any = copy;
  for (const step of path.slice(0, -1)) at = at[step];
  const last = path[path.length - 1]!;
  if (Array.isArray(at)) at.splice(Number(last), 1);
  else delete at[last];
  return copy;
}
