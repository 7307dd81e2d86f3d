import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Builds the renderer (the React window). The Electron main and preload bundles are added
// here when the desktop app lands.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
  },
});
