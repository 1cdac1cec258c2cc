import wrtc from '@roamhq/wrtc';
import { type SignallingDataPeer, dataPeerConnections } from '@shoal/shared/link';
import SimplePeer from 'simple-peer';

/**
 * WebRTC connections in Node: simple-peer (the browser's library, same wire behaviour) over
 * @roamhq/wrtc, whose native binary ships inside a registry package (nothing downloaded at install).
 * The cast is the typing seam @types/simple-peer needs (its overloaded `on` does not unify).
 */
export const createWrtcConnection = dataPeerConnections((init) => new SimplePeer({ ...init, wrtc }) as unknown as SignallingDataPeer);
