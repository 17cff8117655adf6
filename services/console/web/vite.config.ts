import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console's web app: plain Preact (automatic JSX runtime), built to services/console/dist,
 * which the console service serves. `vite dev` forwards /api and /console to a running console
 * (make up) so the page can be developed with hot reload.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8090', '/console': 'http://127.0.0.1:8090' },
  },
});
