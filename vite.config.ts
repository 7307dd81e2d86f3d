import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import electron from 'vite-plugin-electron/simple';

// One `vite build` makes the three bundles of the desktop app:
//   dist/renderer  the React window (root: src-renderer)
//   dist/main      the Electron main process, plus the UPnP child it forks
//   dist/preload   the sandboxed preload script (one CommonJS file, requires only electron)
const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const pkg = JSON.parse(readFileSync(at('./package.json'), 'utf8')) as { dependencies: Record<string, string> };
// Runtime dependencies stay in node_modules (electron-builder packs them); only our code is bundled.
const dependencies = Object.keys(pkg.dependencies).map((name) => new RegExp(`^${name}(/.*)?$`));

export default defineConfig({
  root: at('./src-renderer'),
  base: './',
  // assets/ (the icon) is copied into dist/renderer, so the packaged app has it beside the page.
  publicDir: at('./assets'),
  plugins: [
    react(),
    electron({
      main: {
        entry: { main: at('./src-main/app/main.ts'), 'upnp-child': at('./src-main/nat/upnp-child.ts') },
        vite: {
          build: {
            outDir: at('./dist/main'),
            emptyOutDir: true,
            minify: false,
            sourcemap: true,
            rolldownOptions: { external: ['electron', ...dependencies] },
          },
        },
      },
      preload: {
        input: at('./src-preload/preload.ts'),
        vite: {
          build: {
            outDir: at('./dist/preload'),
            emptyOutDir: true,
            minify: false,
            rolldownOptions: { external: ['electron'], output: { entryFileNames: '[name].cjs' } },
          },
        },
      },
    }),
  ],
  build: {
    outDir: at('./dist/renderer'),
    emptyOutDir: true,
  },
});
