/**
 * `@shoal/shared/testing`: test doubles and the e2e hook contract. Kept out of the main entry so an app
 * embedding the mesh does not ship them, and so a reader of the main surface sees only what runs live.
 */
export * from '../mesh/memory-link';
export * from '../mesh/memory-history';
export * from '../mesh/fake-clock';
export type { ShoalTestHooks } from '../test-hooks';
export * from './history-store-contract';
export * from './memory-chunk-store';
export * from './chunk-store-contract';
export * from './peer-link-contract';
