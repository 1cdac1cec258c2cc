import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [preact()],
  build: {
    target: 'es2022',
    // The signal server serves web/dist; sourcemaps stay out of the shipped bundle size.
    sourcemap: false,
  },
});
