import wrtc from '@roamhq/wrtc';
import { type DataPeer, peerLinkOf } from '@shoal/shared/link';
import { peerLinkContract } from '@shoal/shared/testing';
import SimplePeer from 'simple-peer';
import { describe, it, vi } from 'vitest';
import { WAIT_MS } from '../src/testing/event-log';

/** Two simple-peer instances over @roamhq/wrtc, signalled directly to each other, adapted as PeerLinks. */
async function wrtcPair() {
  const a = new SimplePeer({ initiator: true, wrtc, config: { iceServers: [] } });
  const b = new SimplePeer({ wrtc, config: { iceServers: [] } });
  a.on('signal', (data) => b.signal(data));
  b.on('signal', (data) => a.signal(data));
  await Promise.all([new Promise((resolve) => a.once('connect', resolve)), new Promise((resolve) => b.once('connect', resolve))]);
  return {
    a: peerLinkOf(a as unknown as DataPeer),
    b: peerLinkOf(b as unknown as DataPeer),
    close() {
      a.destroy();
      b.destroy();
    },
  };
}

peerLinkContract('simple-peer over @roamhq/wrtc', {
  open: wrtcPair,
  until: async (condition) => {
    await vi.waitFor(() => {
      if (!condition()) throw new Error('not yet');
    }, { timeout: WAIT_MS, interval: 5 });
  },
}, { describe, it });
