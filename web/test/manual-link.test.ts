import type { PeerLink } from '@shoal/shared';
import { describe, expect, it } from 'vitest';
import { type PeerConnection, type PeerConnectionOptions, type PeerSignal, createManualLinker, decodeInviteCode, encodeInviteCode } from '@shoal/shared/link';

const offer: PeerSignal = { type: 'offer', sdp: 'v=0 offer with candidates' };
const answer: PeerSignal = { type: 'answer', sdp: 'v=0 answer with candidates' };

/** Fake connections: an initiator emits `offer` once created, a responder answers an offer with `answer`. */
function setup() {
  const made: Array<{ options: PeerConnectionOptions; received: PeerSignal[]; connect(): void; destroyed: boolean }> = [];
  const links: PeerLink[] = [];
  const linker = createManualLinker({
    clock: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>) },
    iceServers: () => [],
    onLink: (link) => links.push(link),
    createConnection(options): PeerConnection {
      let onSignal: (s: PeerSignal) => void = () => {};
      let onConnect: (l: PeerLink) => void = () => {};
      const received: PeerSignal[] = [];
      const entry = {
        options, received, destroyed: false,
        connect: () => onConnect({ send: () => true, sendBytes: () => true, bufferedAmount: () => 0, close() {}, onMessage() {}, onBytes() {}, onClose() {} }),
      };
      made.push(entry);
      return {
        signal(data) {
          entry.received.push(data);
          if (data.type === 'offer') queueMicrotask(() => onSignal(answer));
        },
        onSignal(handler) {
          onSignal = handler;
          if (options.initiator) queueMicrotask(() => onSignal(offer));
        },
        onConnect: (handler) => void (onConnect = handler),
        onClose() {},
        destroy: () => void (entry.destroyed = true),
      };
    },
  });
  return { linker, made, links };
}

describe('manual linker', () => {
  it('invites with a complete offer and completes the link with the pasted answer', async () => {
    const { linker, made, links } = setup();
    const code = await linker.createInvite();
    expect(await decodeInviteCode(code)).toEqual(offer);
    expect(made[0]?.options).toEqual({ initiator: true, iceServers: [], trickle: false });
    expect(await linker.usePasted(await encodeInviteCode(answer))).toEqual({ kind: 'connecting' });
    expect(made[0]?.received).toEqual([answer]);
    made[0]?.connect();
    expect(links).toHaveLength(1);
  });

  it('answers a pasted invite with a code to send back', async () => {
    const { linker, made } = setup();
    const result = await linker.usePasted(await encodeInviteCode(offer));
    expect(result.kind).toBe('answer');
    expect(result.kind === 'answer' && (await decodeInviteCode(result.code))).toEqual(answer);
    expect(made[0]?.options.initiator).toBe(false);
  });

  it('explains what is wrong with a pasted code instead of failing', async () => {
    const { linker } = setup();
    expect((await linker.usePasted('hello')).kind).toBe('error');
    expect(await linker.usePasted(await encodeInviteCode(answer))).toEqual({ kind: 'error', message: 'Create an invite first: this code answers one.' });
  });
});
