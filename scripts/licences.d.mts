/** Types of licences.mjs (the build's licence rule: what may be bundled, what stays external, the notices). */

export const ALLOWED_LICENCES: readonly string[];
export function licenceAllowed(expression: unknown): boolean;
export function declaredLicence(pkg: Record<string, unknown>): string | undefined;
export function packageNameOf(specifier: string): string;
export function isBuiltin(specifier: string): boolean;

export interface PackageInfo {
  dir: string;
  name: string;
  version: string;
  licence: string | undefined;
  pkg: Record<string, unknown>;
}
export function packageOfFile(file: string, root: string): PackageInfo;

/** The parts of an esbuild metafile the check reads. */
export interface Metafile {
  inputs: Record<string, { imports: Array<{ path: string; external?: boolean }> }>;
  outputs: Record<string, { imports: Array<{ path: string; kind?: string; external?: boolean }> }>;
}
export interface BundledPackage extends PackageInfo {
  dirs: Set<string>;
  files: string[];
}
export interface ExternalPackage {
  name: string;
  version?: string;
  specifiers: Set<string>;
  outputs: Set<string>;
}
export function checkBuild(
  meta: Metafile,
  root: string,
  project?: { name?: string; version?: string; dependencies?: Record<string, string> },
): { bundled: BundledPackage[]; externals: ExternalPackage[]; problems: string[] };

export function licencePlugin(root: string): { name: string; setup(build: unknown): void };
export function licenceFiles(dir: string): Array<{ file: string; text: string }>;
export const MIT_TEXT: string;
export function noticesMarkdown(
  project: { name: string; version: string },
  bundled: BundledPackage[],
  externals: ExternalPackage[],
): string;
