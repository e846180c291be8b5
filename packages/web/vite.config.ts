import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/** The dashboard: a static build with everything bundled (no CDN, no web fonts). */
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: './',
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 300,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8787', '/health': 'http://127.0.0.1:8787' } },
});
