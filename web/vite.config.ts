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
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  },
});
