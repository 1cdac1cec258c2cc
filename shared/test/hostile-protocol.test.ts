import { afterEach, describe, expect, it } from 'vitest';
import {
  AUTHOR_MESSAGE_BUDGET,
  type LinkCloseReason,
  MAX_BAD_FRAMES_PER_LINK,
  MAX_COUNTER,
  bodyOf,
  createIdentity,
  generateIdentityKeyPair,
  isRedacted,
  signChatMessage,
} from '../src/index';
import { eventSigner } from './helpers/events';
import { attachRawPeer } from './helpers/raw-peer';
import { createSimNetwork, eventually, onlineCount, peerIdOf, ROOM, type SimNetwork, type SimPeer, uuid } from './helpers/sim';

/**
 * A member that completed the handshake and then speaks the protocol perfectly, with validly signed
 * frames, against honest peers: what they must still do (deliver, link, keep their clocks and links).
 */
let net: SimNetwork | undefined;
afterEach(() => net?.close());

async function pair() {
  net = await createSimNetwork({ size: 2 });
  const [a, b] = net.peers as [SimPeer, SimPeer];
  net.connect(0, 1);
  await eventually(() => expect(onlineCount(a)).toBe(1));
  const mallory = await createIdentity(await generateIdentityKeyPair());
  const toB = await attachRawPeer(b, peerIdOf(66), { handshake: true, identity: mallory });
  await eventually(() => expect(onlineCount(b)).toBe(2));
  return { a, b, mallory, toB, sign: eventSigner(mallory) };
}

describe('a hostile member and the clock (one message must not kill a room)', () => {
  it('refuses a Lamport time at the limit, and the victim goes on sending messages everyone accepts', async () => {
    const { a, b, toB, sign } = await pair();
    const poison = await sign({ lamport: MAX_COUNTER - 1 });
    toB.send({ type: 'chat', hops: 1, message: poison });
    // And as history: B asked the new link for what it lacks; the answer carries the poison again.
    await eventually(() => expect(toB.inbox.some((f) => f.type === 'history-req')).toBe(true));
    toB.send({ type: 'history-batch', messages: [await sign({ lamport: MAX_COUNTER - 1, seq: 9 })], more: false });
    await eventually(() => expect(b.mesh.counters().lamportAheadDropped).toBe(2));
    expect(b.received.map((m) => m.id)).not.toContain(poison.id);
    const after = await b.mesh.send('still heard');
    expect(after.lamport).toBeLessThan(MAX_COUNTER / 2);
    await eventually(() => expect(a.received.map((m) => m.id)).toContain(after.id));
    expect(a.mesh.counters().malformedDropped).toBe(0);
  });

  it('adopts times within the allowed skew, so an honest fast clock only moves the room forward', async () => {
    const { a, b, toB, sign } = await pair();
    const ahead = await sign({ lamport: net!.clock.now() + 60_000 });
    toB.send({ type: 'chat', hops: 1, message: ahead });
    await eventually(() => expect(b.received.map((m) => m.id)).toContain(ahead.id));
    const reply = await b.mesh.send('after the fast one');
    expect(reply.lamport).toBeGreaterThan(ahead.lamport);
    await eventually(() => expect(a.received.map((m) => m.id)).toEqual([ahead.id, reply.id]));
  });
});

describe('a hostile member framing honest peers', () => {
  it('cannot get an honest relay cut off by feeding it messages that conflict with a binding made elsewhere', async () => {
    const { a, b, mallory } = await pair();
    // At B, Mallory's peer id 66 is bound to Mallory's key by the handshake. At A, Mallory feeds v1
    // messages under session 66 signed with another key: valid there, so A honestly forwards them.
    const other = await createIdentity(await generateIdentityKeyPair());
    const toA = await attachRawPeer(a, peerIdOf(67), { handshake: true, identity: mallory });
    await eventually(() => expect(onlineCount(a)).toBe(2));
    const reasons: LinkCloseReason[] = [];
    b.mesh.on('link-closed', (e) => reasons.push(e.reason));
    // More than the strikes that close a link as ABUSE, fewer than one key's author budget (past it,
    // A would hold the rest back and B would never see them).
    const framedCount = MAX_BAD_FRAMES_PER_LINK + 5;
    expect(framedCount).toBeLessThanOrEqual(AUTHOR_MESSAGE_BUDGET.burst);
    for (let i = 1; i <= framedCount; i++) {
      const framed = await signChatMessage(other, {
        id: uuid(0xf4a, i), room: ROOM, author: peerIdOf(66), seq: i, lamport: i, sentAt: 0, name: 'bob', body: `frame ${i}`,
        publicKey: other.publicKey,
      });
      toA.send({ type: 'chat', hops: 1, message: framed });
    }
    await eventually(() => expect(b.mesh.counters().authorKeyMismatchDropped).toBeGreaterThanOrEqual(framedCount), 10_000);
    expect(reasons).toEqual([]);
    const check = await a.mesh.send('A and B still linked');
    await eventually(() => expect(b.received.map((m) => m.id)).toContain(check.id));
  });
});

describe('a hostile member and event ids', () => {
  it('cannot give one id two bodies: a copy with another body under the same id is refused everywhere', async () => {
    const { a, b, toB, sign } = await pair();
    const original = await sign({ body: '{"text":"ten","name":"m"}' });
    toB.send({ type: 'chat', hops: 1, message: { ...original, body: '{"text":"ten thousand","name":"m"}' } });
    await eventually(() => expect(b.mesh.counters().badSignatureDropped).toBe(1));
    toB.send({ type: 'chat', hops: 1, message: original });
    await eventually(() => expect(a.received.map((m) => m.id)).toEqual([original.id]));
    expect(bodyOf(a.received[0]!)).toBe(original.body);
    expect(bodyOf(b.received[0]!)).toBe(original.body);
  });
});

describe('author-only rules at every receiver', () => {
  it('drops an edit or delete of another key, and keeps the original content', async () => {
    const { a, b, toB, sign } = await pair();
    const said = await a.mesh.send('mine');
    await eventually(() => expect(b.received.map((m) => m.id)).toEqual([said.id]));
    toB.send({ type: 'chat', hops: 1, message: await sign({ kind: 'edit', target: said.id, body: '{"text":"yours"}' }) });
    toB.send({ type: 'chat', hops: 1, message: await sign({ kind: 'delete', target: said.id, body: '' }) });
    await eventually(() => expect(b.mesh.counters().forgedEditsDropped).toBe(2));
    expect(b.received.map((m) => m.id)).toEqual([said.id]);
    expect(bodyOf((await b.store.get(ROOM, said.id))!)).toBe('mine');
    expect(a.mesh.counters().forgedEditsDropped).toBe(0); // never forwarded
  });

  it('applies the author’s own delete everywhere: only the signed header is kept, and it still verifies', async () => {
    const { a, b } = await pair();
    const said = await a.mesh.send('oops');
    const edit = await a.mesh.publish({ kind: 'edit', target: said.id, body: '{"text":"oops, again"}' });
    await eventually(() => expect(b.received.map((m) => m.id)).toEqual([said.id, edit.id]));
    const removal = await a.mesh.publish({ kind: 'delete', target: said.id, body: '' });
    for (const peer of [a, b]) {
      await eventually(async () => {
        const kept = await peer.store.get(ROOM, said.id);
        expect(kept && isRedacted(kept)).toBe(true);
        const keptEdit = await peer.store.get(ROOM, edit.id);
        expect(keptEdit && isRedacted(keptEdit)).toBe(true);
      });
      expect(JSON.stringify(peer.store.messages(ROOM))).not.toContain('oops');
    }
    expect(removal.target).toBe(said.id);
  });

  it('refuses to publish an edit or delete of someone else’s event', async () => {
    const { a, b } = await pair();
    const said = await a.mesh.send('mine');
    await eventually(() => expect(b.received.map((m) => m.id)).toEqual([said.id]));
    await expect(b.mesh.publish({ kind: 'delete', target: said.id, body: '' })).rejects.toMatchObject({ code: 'NOT_AUTHOR' });
    await expect(b.mesh.publish({ kind: 'reaction', body: '{"emoji":"👍"}' })).rejects.toMatchObject({ code: 'BAD_EVENT' });
  });

  it('lets a tombstone win over a copy of the content that arrives after it', async () => {
    const { b, toB, mallory } = await pair();
    const sign = eventSigner(mallory, 1);
    const secret = await sign({ body: '{"text":"regret","name":"m"}' });
    const removal = await sign({ kind: 'delete', target: secret.id, body: '', lamport: 2 });
    toB.send({ type: 'chat', hops: 1, message: removal });
    await eventually(() => expect(b.received.map((m) => m.id)).toContain(removal.id));
    toB.send({ type: 'chat', hops: 1, message: secret });
    await eventually(async () => {
      const kept = await b.store.get(ROOM, secret.id);
      expect(kept && isRedacted(kept)).toBe(true);
    });
    expect(JSON.stringify(b.store.messages(ROOM))).not.toContain('regret');
  });

  it('stores and forwards a reaction to a missing event and an event kind from a newer version', async () => {
    const { a, b, toB, sign } = await pair();
    const reaction = await sign({ kind: 'reaction', target: 'Z'.repeat(43), body: '{"emoji":"🎉"}' });
    const future = await sign({ kind: 'poll', body: '{"question":"lunch?"}' });
    toB.send({ type: 'chat', hops: 1, message: reaction });
    toB.send({ type: 'chat', hops: 1, message: future });
    await eventually(() => expect(a.received.map((m) => m.id)).toEqual([reaction.id, future.id]));
  });
});

describe('history sync of deleted events', () => {
  it('hands a late joiner the verified header and the delete, never the content', async () => {
    net = await createSimNetwork({ size: 3 });
    const [a, b, c] = net.peers as [SimPeer, SimPeer, SimPeer];
    net.connect(0, 1);
    await eventually(() => expect(onlineCount(a)).toBe(1));
    const said = await a.mesh.send('private matter');
    await a.mesh.publish({ kind: 'delete', target: said.id, body: '' });
    await eventually(async () => expect(isRedacted((await b.store.get(ROOM, said.id))!)).toBe(true));
    a.mesh.close();
    net.connect(1, 2);
    await eventually(async () => {
      const kept = await c.store.get(ROOM, said.id);
      expect(kept && isRedacted(kept)).toBe(true);
    });
    expect(JSON.stringify(c.store.messages(ROOM))).not.toContain('private matter');
    expect(await c.store.vector(ROOM)).toEqual({ [said.author]: 2 });
  });
});
