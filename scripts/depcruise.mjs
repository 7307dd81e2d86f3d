#!/usr/bin/env node
// dependency-cruiser's own command line (same arguments as `depcruise`), reading TypeScript with
// TypeScript 6 from scripts/typescript6/: TypeScript 7, the project's compiler, has no JS API,
// and without one dependency-cruiser skips every .ts file and finds nothing wrong.
//   node scripts/depcruise.mjs src-main src-preload src-renderer       (npm run check:layers)
//   node scripts/depcruise.mjs -T dot src-main | dot -Tsvg > graph.svg  (any other output type)
import { redirectTypescriptForCruiser } from './typescript6/redirect.mjs';

redirectTypescriptForCruiser();
const { getAvailableTranspilers } = await import('dependency-cruiser');
const typescript = getAvailableTranspilers().find((transpiler) => transpiler.name === 'typescript');
if (!typescript?.available) {
  console.error(
    'dependency-cruiser cannot read TypeScript: scripts/typescript6/node_modules/typescript is missing or not TypeScript 6. Run `npm ci`.',
  );
  process.exit(2);
}
await import(new URL('../../bin/dependency-cruise.mjs', import.meta.resolve('dependency-cruiser')).href);
