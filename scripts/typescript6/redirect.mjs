// Sends dependency-cruiser's `typescript` to the TypeScript 6 installed in this folder, by both
// ways it loads it: require (its version check) and import (the parser). Everything else,
// `tsc` included, keeps the project's TypeScript 7.
import Module, { createRequire, register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const anchor = fileURLToPath(new URL('./package.json', import.meta.url));
const isTypescript = (request) => request === 'typescript' || request.startsWith('typescript/');
const fromCruiser = (location) => typeof location === 'string' && /[\\/]node_modules[\\/]dependency-cruiser[\\/]/.test(location);

/** Installs the redirect for this process; call before dependency-cruiser is imported. */
export function redirectTypescriptForCruiser() {
  const requireHere = createRequire(anchor);
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    if (isTypescript(request) && fromCruiser(parent?.filename)) return requireHere.resolve(request);
    return resolveFilename.call(this, request, parent, ...rest);
  };
  register(import.meta.url);
}

/** The ESM resolve hook (runs on the loader thread). */
export async function resolve(specifier, context, nextResolve) {
  if (isTypescript(specifier) && fromCruiser(context.parentURL)) {
    return nextResolve(specifier, { ...context, parentURL: pathToFileURL(anchor).href });
  }
  return nextResolve(specifier, context);
}
