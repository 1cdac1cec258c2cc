import type { PeerLink } from '../mesh/peer-link';
import type { ContractRunner } from './history-store-contract';

/**
 * One compliance suite for every PeerLink (memory pairs, simple-peer over WebRTC in Node and the
 * browser), in the manner of libp2p's transport interface tests: the mesh and the file swarm rely on
 * exactly these behaviours. `open` gives a connected pair; `until` waits (bounded) for a condition.
 */
export interface LinkPairUnderTest {
  a: PeerLink;
  b: PeerLink;
  close?(): Promise<void> | void;
}

export interface PeerLinkContractDeps {
  open(): Promise<LinkPairUnderTest>;
  /** Resolves once `condition` holds; rejects after the implementation's time bound. */
  until(condition: () => boolean): Promise<void>;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`peer link contract: ${message}`);
}
const hex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

export function peerLinkContract(name: string, deps: PeerLinkContractDeps, runner: ContractRunner): void {
  const withPair = (body: (pair: LinkPairUnderTest) => Promise<void>) => async () => {
    const pair = await deps.open();
    try {
      await body(pair);
    } finally {
      pair.a.close();
      await pair.close?.();
    }
  };
  runner.describe(`PeerLink contract: ${name}`, () => {
    runner.it('carries text and binary frames both ways, in order, each as what it was sent as', withPair(async ({ a, b }) => {
      const atB: string[] = [];
      const atA: string[] = [];
      b.onMessage((frame) => atB.push(`text:${frame}`));
      b.onBytes((bytes) => atB.push(`bytes:${hex(bytes)}`));
      a.onMessage((frame) => atA.push(`text:${frame}`));
      a.onBytes((bytes) => atA.push(`bytes:${hex(bytes)}`));
      // Bytes that read as a JSON text frame, and bytes starting with the adapter's own tag, stay bytes.
      const jsonLike = Uint8Array.from([...'{"type":"ping"}'].map((c) => c.charCodeAt(0)));
      check(a.send('{"n":1}') && a.sendBytes(jsonLike) && a.sendBytes(Uint8Array.from([0xff, 0, 1])) && a.send('{"n":2}'), 'sends accepted');
      check(b.sendBytes(Uint8Array.from([7])), 'reverse send accepted');
      await deps.until(() => atB.length === 4 && atA.length === 1);
      check(atB.join('|') === `text:{"n":1}|bytes:${hex(jsonLike)}|bytes:ff0001|text:{"n":2}`, `order and kinds kept: ${atB.join('|')}`);
      check(atA[0] === 'bytes:07', 'reverse direction');
    }));

    runner.it('delivers a 64 KiB binary frame whole, and its buffered bytes drain to zero', withPair(async ({ a, b }) => {
      const big = Uint8Array.from({ length: 64 * 1024 }, (_, i) => (i * 31) & 0xff);
      let got: Uint8Array | null = null;
      b.onBytes((bytes) => {
        got = bytes;
      });
      check(a.bufferedAmount() >= 0, 'bufferedAmount is a count');
      check(a.sendBytes(big), 'send accepted');
      await deps.until(() => got !== null);
      const received: Uint8Array = got ?? new Uint8Array();
      check(received.length === big.length && received.every((x, i) => x === big[i]), 'the frame arrives whole');
      await deps.until(() => a.bufferedAmount() === 0);
    }));

    runner.it('runs close handlers once on both sides and refuses sends after close', withPair(async ({ a, b }) => {
      let closedA = 0;
      let closedB = 0;
      a.onClose(() => closedA++);
      b.onClose(() => closedB++);
      a.close();
      a.close();
      await deps.until(() => closedA === 1 && closedB === 1);
      check(!a.send('x') && !a.sendBytes(Uint8Array.from([1])), 'a closed link refuses sends');
      check(!b.send('x') && !b.sendBytes(Uint8Array.from([1])), 'the other end refuses sends too');
      check(closedA === 1 && closedB === 1, 'handlers ran once');
    }));
  });
}
