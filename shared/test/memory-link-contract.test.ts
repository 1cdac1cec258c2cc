import { describe, it } from 'vitest';
import { createMemoryLinkPair, peerLinkContract } from '../src/testing/index';
import { eventually } from './helpers/sim';

peerLinkContract('memory pair', {
  open: async () => createMemoryLinkPair(),
  until: async (condition) => {
    await eventually(() => {
      if (!condition()) throw new Error('not yet');
    });
  },
}, { describe, it });
