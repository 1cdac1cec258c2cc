import { type SignallingDataPeer, dataPeerConnections } from '@shoal/shared/link';
import SimplePeer from 'simple-peer/simplepeer.min.js';

/**
 * Creates a data-only WebRTC connection through the bundled simple-peer (the only simple-peer import of
 * the web app). The cast is the typing seam: @types/simple-peer declares an overloaded `on` that does
 * not unify with the structural SignallingDataPeer, though the instance has every member it names.
 */
export const createSimplePeerConnection = dataPeerConnections((init) => new SimplePeer(init) as unknown as SignallingDataPeer);
