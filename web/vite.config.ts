import preact from '@preact/preset-vite';
import { type Plugin, defineConfig } from 'vite';

/**
 * Marks every app chunk for eager compilation (V8's explicit compile hints, Chromium 136+; other engines
 * ignore the comment). V8 otherwise compiles each function on its first call, on the main thread: a
 * fresh room's first message ran ~86 functions for the first time (intake, chat state, the message row),
 * ~7 ms of compiling in every receiving tab, so each tab's first message displayed ~25 ms later than the
 * rest (bench:mesh, issue 14). Eagerly, the compiling happens off the main thread while the script
 * streams in; most of the app runs at load anyway, and formation measured no slower.
 */
function eagerCompileHints(): Plugin {
  return {
    name: 'shoal:eager-compile-hints',
    generateBundle: {
      // Last, after Vite prepends its own preamble (the dynamic-import dependency map): V8 reads the hint
      // only at the top of a script. The service worker starts once per install: nothing to gain there.
      order: 'post',
      handler(_options, bundle) {
        for (const chunk of Object.values(bundle)) {
          if (chunk.type === 'chunk' && chunk.name !== 'sw') chunk.code = `//# allFunctionsCalledOnLoad\n${chunk.code}`;
        }
      },
    },
  };
}

export default defineConfig({
  plugins: [preact(), eagerCompileHints()],
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
