import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [preact()],
  build: {
    target: 'es2022',
    // The signal server serves web/dist; sourcemaps stay out of the shipped bundle size.
    sourcemap: false,
    rollupOptions: {
      // The service worker is its own entry at a fixed URL (/sw.js): its scope is the whole site.
      input: { index: 'index.html', sw: 'src/sw/service-worker.ts' },
      output: {
        // Preact in one chunk, not the two Rolldown made of it: each is a request the page waits for before
        // its first line runs, and tabs of one browser share six connections to the server (issue 14).
        manualChunks: (id: string) => (/node_modules\/(preact|@preact)\//.test(id) ? 'preact' : undefined),
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
});
