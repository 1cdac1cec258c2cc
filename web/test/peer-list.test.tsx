// @vitest-environment happy-dom
import type { PeerInfo } from '@shoal/shared';
import { cleanup, render, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { contestedSkeletons } from '../src/state/name-conflicts';
import { PeerList } from '../src/ui/peer-list';
import { peerId } from './ids';

const peer = (n: number, name: string, fingerprint: string): PeerInfo => ({ peerId: peerId(n), name, fingerprint, state: 'online', rttMs: 12 });

function renderPeers(peers: PeerInfo[]) {
  const contested = contestedSkeletons(peers.map((p) => ({ name: p.name, identity: p.fingerprint })));
  render(<PeerList peers={peers} contested={contested} />);
  return (n: number) => {
    const item = document.querySelector<HTMLElement>(`li[data-peer-id="${peerId(n)}"]`);
    if (!item) throw new Error(`peer ${n} not listed`);
    return within(item);
  };
}

afterEach(cleanup);

describe('PeerList', () => {
  it('flags every peer whose name looks like another identity\'s, with each fingerprint', () => {
    const item = renderPeers([peer(1, '\u202E\u0410lice', 'ffff-0000-1'), peer(2, 'Alice', 'aaaa-1111-2'), peer(3, 'Bob', 'bbbb-2222-3')]);
    for (const [n, fingerprint] of [[1, 'ffff-0000'], [2, 'aaaa-1111']] as const) {
      expect(item(n).getByText('another key uses this name')).toBeTruthy();
      expect(item(n).getByText(fingerprint, { exact: false })).toBeTruthy();
    }
    expect(item(3).queryByText('another key uses this name')).toBeNull();
    // The bidi override is gone from what is shown.
    expect(item(1).getByText('\u0410lice').textContent).toBe('\u0410lice');
  });
});
