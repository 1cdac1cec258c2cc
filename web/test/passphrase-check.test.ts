import { createEmitter, type MeshEvents, type PeerInfo } from '@shoal/shared';
import { describe, expect, it } from 'vitest';
import { createPassphraseCheck } from '../src/state/passphrase-check';
import { peerId } from './ids';

const peer = (n: number, state: PeerInfo['state']): PeerInfo => ({ peerId: peerId(n), name: `p${n}`, fingerprint: 'f', state, rttMs: null });

describe('passphrase check', () => {
  it('reports a wrong passphrase once a peer failed the room-key proof and none passed it', () => {
    const events = createEmitter<MeshEvents>();
    const check = createPassphraseCheck({ on: events.on, peers: () => [] });
    expect(check.wrong.value).toBe(false);
    events.emit('room-key-mismatch', { peerId: peerId(2) });
    expect(check.wrong.value).toBe(true);
    events.emit('peers', [peer(3, 'online')]);
    expect(check.wrong.value).toBe(false);
    events.emit('peers', [peer(3, 'offline')]);
    expect(check.wrong.value).toBe(true);
    check.dispose();
  });

  it('blames the outsider, not this tab, while members are linked', () => {
    const events = createEmitter<MeshEvents>();
    const check = createPassphraseCheck({ on: events.on, peers: () => [peer(3, 'online')] });
    events.emit('room-key-mismatch', { peerId: peerId(9) });
    expect(check.wrong.value).toBe(false);
  });
});
