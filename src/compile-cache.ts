// A code cache for the bundle's chunks: V8's cached data for each CommonJS chunk of dist/ that a run compiles, kept in
// the config dir (`compile-cache/<node version>-<arch>/`), so that a later run deserializes the chunk's compiled code
// instead of parsing and compiling it again (docs/ARCHITECTURE.md "Start-up"). It is what Node.js 22's
// `module.enableCompileCache()` does; wixq runs on Node.js 20 too, which has only the `vm.Script` API it is built on.
//
// A cache never changes what runs: V8 checks each file against the chunk's source, its own version and flags, and
// rejects any mismatch (a chunk of another build, another Node.js, a damaged file), and the chunk is then compiled
// from its source as usual and the file written again. Files are written whole (a temp file, then a rename) at the end
// of the run, only for chunks that had no accepted file, and never into a config dir that does not exist yet (the cache
// alone does not create one); a file system that refuses the write (read-only, full) only means no cache.
// `NODE_DISABLE_COMPILE_CACHE=1` (Node.js's own switch for its compile cache) turns it off.
//
// Cached data is code, and V8's check of it is no signature: a file is read only if this user owns it and nobody else
// may write it (as ssh treats its keys), checked on the open file, so a config dir others can write to (a shared
// WIXQ_CONFIG_DIR) cannot hand a run someone else's code. Such a file is compiled past and replaced.
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** The part of Node's CommonJS module object the cache needs (not in @types/node's public typing). */
interface CompilingModule {
  exports: unknown;
  require(id: string): unknown;
}
type Compile = (this: CompilingModule, content: string, filename: string) => unknown;
interface ModuleInternals {
  prototype: { _compile: Compile };
  wrap(script: string): string;
  _resolveFilename(request: string, parent: CompilingModule, isMain: boolean, options?: unknown): string;
  _cache: Record<string, unknown>;
}

/** What a run compiled without an accepted cache file: written when the run ends. */
interface Pending {
  file: string;
  script: Script;
}

/** The folder of this Node.js's files (V8 would reject another version's data anyway; a folder each keeps them apart). */
export function compileCacheFolder(configDir: string): string {
  return join(configDir, 'compile-cache', `${process.version}-${process.arch}`);
}

/**
 * Compiles the CommonJS chunks in `distDir` with their cached data from the config dir, and writes the data of those
 * that had none when the process exits. Other files (node_modules, tests) are compiled by Node as usual.
 */
export function installCompileCache(distDir: string, configDir: string, env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_DISABLE_COMPILE_CACHE !== undefined && env.NODE_DISABLE_COMPILE_CACHE !== '') return;
  const folder = compileCacheFolder(configDir);
  const internals = Module as unknown as ModuleInternals;
  const compile = internals.prototype._compile;
  const pending: Pending[] = [];
  internals.prototype._compile = function compileCached(this: CompilingModule, content: string, filename: string): unknown {
    if (dirname(filename) !== distDir || !filename.endsWith('.cjs')) return compile.call(this, content, filename);
    const file = join(folder, `${basename(filename)}.bin`);
    const cachedData = readOwnFile(file);
    let script: Script;
    try {
      script = new Script(internals.wrap(content), { filename, cachedData });
    } catch {
      // A chunk that does not compile: Node's own path says why, as it would without the cache.
      return compile.call(this, content, filename);
    }
    if (cachedData === undefined || script.cachedDataRejected === true) pending.push({ file, script });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireOf(this, internals), this, filename, dirname(filename));
  };
  process.once('exit', () => writeCaches(configDir, folder, distDir, pending));
}

/**
 * A cache file's bytes, if this user owns it and no one else may write it (checked on the open file, not its path);
 * else undefined: no file yet, unreadable, or not to be trusted. (Windows has no owner ID here: the file as it is.)
 */
function readOwnFile(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const stat = fstatSync(fd);
    if (!stat.isFile()) return undefined;
    if (process.getuid !== undefined && (stat.uid !== process.getuid() || (stat.mode & 0o022) !== 0)) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The `require` a chunk is handed: the module's own, as Node makes it. */
function requireOf(module: CompilingModule, internals: ModuleInternals): NodeJS.Require {
  const require = ((id: string) => module.require(id)) as NodeJS.Require;
  require.resolve = ((request: string, options?: unknown) => internals._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  require.main = process.mainModule;
  require.cache = internals._cache as NodeJS.Require['cache'];
  return require;
}

let writes = 0;

/** Writes each pending chunk's data whole, then removes the files of chunks that are no longer in dist/. Never throws. */
function writeCaches(configDir: string, folder: string, distDir: string, pending: Pending[]): void {
  if (pending.length === 0) return;
  try {
    if (!statSync(configDir).isDirectory()) return;
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    for (const { file, script } of pending) {
      const temp = `${file}.${process.pid}.${++writes}.tmp`;
      try {
        writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
        renameSync(temp, file);
      } catch {
        rmSync(temp, { force: true });
      }
    }
    const chunks = new Set(readdirSync(distDir));
    for (const name of readdirSync(folder)) {
      if (name.endsWith('.bin') && !chunks.has(name.slice(0, -'.bin'.length))) rmSync(join(folder, name), { force: true });
    }
  } catch {
    // A config dir that does not exist, a read-only or full file system: the next run compiles from source again.
  }
}
