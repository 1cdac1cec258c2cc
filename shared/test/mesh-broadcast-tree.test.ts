import { describe, expect, it } from 'vitest';
import { MAX_IHAVE_IDS, type PeerId } from '../src/index';
import { createFakeClock } from '../src/testing/index';
import { createBroadcastTree, MAX_GRAFT_WAIT_FACTOR, MAX_MISSING_EVENTS } from '../src/mesh/broadcast-tree';
import { peerIdOf } from './helpers/sim';

const [A, B, C] = [peerIdOf(1), peerIdOf(2), peerIdOf(3)] as [PeerId, PeerId, PeerId];

function setup(held: Set<string> = new Set()) {
  const clock = createFakeClock();
  const sent: string[] = [];
  const name = (p: PeerId): string => ({ [A]: 'A', [B]: 'B', [C]: 'C' })[p] ?? p;
  const tree = createBroadcastTree({
    sendIHave: (peer, ids) => sent.push(`ihave ${name(peer)} ${ids.join(',')}`),
    sendGraft: (peer, ids) => sent.push(`graft ${name(peer)} ${ids.join(',')}`),
    sendPrune: (peer) => sent.push(`prune ${name(peer)}`),
    has: (id) => held.has(id),
    clock, graftTimeoutMs: 400, ihaveBatchMs: 50,
  });
  for (const p of [A, B, C]) tree.linkUp(p, true);
  sent.length = 0;
  return { clock, sent, tree, held };
}

describe('broadcast tree', () => {
  it('announces itself on a new link with an empty graft, and starts it eager', () => {
    const sent: string[] = [];
    const tree = createBroadcastTree({
      sendIHave: () => {}, sendGraft: (_p, ids) => sent.push(`graft ${ids.length}`), sendPrune: () => {},
      has: () => false, clock: createFakeClock(), graftTimeoutMs: 400, ihaveBatchMs: 50,
    });
    tree.linkUp(A, true);
    expect(sent).toEqual(['graft 0']);
    expect(tree.relay('m1', null, 0, [A])).toEqual([A]);
  });

  it('in a full-mesh room tells a new link nothing, until the room uses trees (once per link)', () => {
    const sent: string[] = [];
    const tree = createBroadcastTree({
      sendIHave: () => {}, sendGraft: (p, ids) => sent.push(`graft ${p === A ? 'A' : 'B'} ${ids.length}`), sendPrune: () => {},
      has: () => false, clock: createFakeClock(), graftTimeoutMs: 400, ihaveBatchMs: 50,
    });
    tree.linkUp(A, false);
    tree.linkUp(B, true);
    expect(sent).toEqual(['graft B 0']);
    tree.tellAll();
    tree.tellAll();
    expect(sent).toEqual(['graft B 0', 'graft A 0']);
    expect(tree.relay('m1', null, 0, [A, B])).toEqual([A, B]);
  });

  it('pushes a new message to every eager link but the one it came from', () => {
    const { tree } = setup();
    expect(tree.relay('m1', A, 1, [A, B, C])).toEqual([B, C]);
  });

  it('prunes a link that brought a duplicate, then only announces to it, batched', () => {
    const { tree, sent, clock } = setup();
    tree.onGraft(B, []); // B speaks trees (its opening graft says so)
    expect(tree.relay('m0', A, 1, [A, B, C])).toEqual([B, C]);
    tree.onDuplicate(B);
    expect(sent).toEqual(['prune B']);
    expect(tree.isEager(B)).toBe(false);
    expect(tree.relay('m1', A, 1, [A, B, C])).toEqual([C]);
    expect(tree.relay('m2', C, 1, [A, B, C])).toEqual([A]);
    expect(sent).toEqual(['prune B']);
    clock.advance(50);
    expect(sent).toEqual(['prune B', 'ihave B m1,m2']);
  });

  it('announces an event history sync brought to every other link that speaks trees, pushes it to none, and answers a graft for it', () => {
    const { tree, sent, clock } = setup();
    tree.onGraft(B, []);
    tree.onGraft(C, []);
    tree.announce('synced', A, [A, B, C]);
    clock.advance(50);
    expect(sent).toEqual(['ihave B synced', 'ihave C synced']);
    expect(tree.onGraft(C, ['synced'])).toEqual(['synced']);
  });

  it('never prunes a peer that has not spoken trees (an older v2 peer keeps getting every message)', () => {
    const { tree, sent } = setup();
    tree.onDuplicate(A);
    expect(sent).toEqual([]);
    expect(tree.relay('m1', B, 1, [A, B, C])).toEqual([A, C]);
  });

  it('sends a full announcement batch at once, at MAX_IHAVE_IDS ids', () => {
    const { tree, sent } = setup();
    tree.onPrune(B);
    for (let i = 0; i < MAX_IHAVE_IDS - 1; i++) tree.relay(`m${i}`, A, 1, [A, B]);
    expect(sent).toEqual([]);
    tree.relay('last', A, 1, [A, B]);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.split(' ')[2]?.split(',')).toHaveLength(MAX_IHAVE_IDS);
  });

  it('grafts the announcer when an announced event does not arrive over the tree in time', () => {
    const { tree, sent, clock } = setup();
    tree.onPrune(B);
    tree.onIHave(B, ['m1']);
    clock.advance(399);
    expect(sent).toEqual([]);
    clock.advance(1);
    expect(sent).toEqual(['graft B m1']);
    expect(tree.isEager(B)).toBe(true);
  });

  it('asks the next announcer when the grafted one does not deliver either, then gives up', () => {
    const { tree, sent, clock } = setup();
    tree.onIHave(B, ['m1']);
    tree.onIHave(C, ['m1']);
    tree.onIHave(C, ['m1']);
    clock.advance(400);
    clock.advance(200);
    expect(sent).toEqual(['graft B m1', 'graft C m1']);
    clock.advance(10_000);
    expect(sent).toHaveLength(2);
    expect(tree.memory().missing).toBe(0);
  });

  it('does not graft when the event arrives over the tree before the timeout', () => {
    const { tree, sent, clock } = setup();
    tree.onIHave(B, ['m1']);
    tree.relay('m1', A, 2, [A, B, C]);
    clock.advance(1000);
    expect(sent.filter((s) => s.startsWith('graft'))).toEqual([]);
  });

  it(`waits longer before grafting while the tree's copies come after the announcements (up to ${MAX_GRAFT_WAIT_FACTOR}x), and less as they come on time`, () => {
    const { tree, sent, clock } = setup();
    tree.onPrune(B);
    const grafts = () => sent.filter((line) => line.startsWith('graft'));
    let n = 0;
    /** An event B announces that comes over the tree from A `lagMs` later. */
    const overTreeAfter = (lagMs: number): void => {
      const id = `late${n++}`;
      tree.onIHave(B, [id]);
      clock.advance(lagMs);
      tree.relay(id, A, 3, [A, B, C]);
    };
    /** Ms until B's announcement of a missing event gets B grafted. */
    const waitBeforeGraft = (): number => {
      const id = `missing${n++}`;
      const before = grafts().length;
      tree.onIHave(B, [id]);
      let waited = 0;
      while (grafts().length === before && waited < 10_000) clock.advance(1), waited++;
      tree.relay(id, B, 3, [A, B, C]); // the graft's answer: no measure of the tree's lag
      tree.onPrune(B);
      return waited;
    };
    expect(waitBeforeGraft()).toBe(400);
    // Each copy that came just in time lets the next one take half as long again.
    for (const lag of [399, 598, 896, 1343]) overTreeAfter(lag);
    expect(waitBeforeGraft()).toBe(MAX_GRAFT_WAIT_FACTOR * 400);
    expect(waitBeforeGraft()).toBe(MAX_GRAFT_WAIT_FACTOR * 400);
    for (let k = 0; k < 5; k++) overTreeAfter(0);
    const easing = waitBeforeGraft();
    expect(easing).toBeGreaterThan(400);
    expect(easing).toBeLessThan(MAX_GRAFT_WAIT_FACTOR * 400);
    for (let k = 0; k < 20; k++) overTreeAfter(0);
    expect(waitBeforeGraft()).toBe(400);
  });

  it('ignores announcements of held events and from peers it has no link to', () => {
    const { tree, sent, clock } = setup(new Set(['held']));
    tree.onIHave(B, ['held']);
    tree.onIHave(peerIdOf(99), ['m1']);
    clock.advance(1000);
    expect(sent).toEqual([]);
  });

  it('answers a graft with the requested events it relayed, and makes the link eager again', () => {
    const { tree } = setup();
    tree.relay('m1', A, 3, [A, B, C]);
    tree.onPrune(B);
    expect(tree.isEager(B)).toBe(false);
    expect(tree.onGraft(B, ['m1', 'unknown'])).toEqual(['m1']);
    expect(tree.isEager(B)).toBe(true);
    expect(tree.hopsOf('m1')).toBe(3);
  });

  it('makes the link a new message came from a tree link (a graft answer or a faster path)', () => {
    const { tree } = setup();
    tree.onPrune(B);
    tree.relay('m1', B, 1, [A, B, C]);
    expect(tree.isEager(B)).toBe(true);
  });

  it(`tracks at most MAX_MISSING_EVENTS (${MAX_MISSING_EVENTS}) announced events, forgetting the oldest`, () => {
    const { tree, sent, clock } = setup();
    for (let i = 0; i <= MAX_MISSING_EVENTS; i++) tree.onIHave(B, [`m${i}`]);
    expect(tree.memory().missing).toBe(MAX_MISSING_EVENTS);
    clock.advance(400);
    expect(sent).not.toContain('graft B m0');
    expect(sent).toContain(`graft B m${MAX_MISSING_EVENTS}`);
  });

  it('forgets a closed link: no pushes, announcements or grafts go to it', () => {
    const { tree, sent, clock } = setup();
    tree.onIHave(B, ['m1']);
    tree.linkDown(B);
    expect(tree.relay('m2', A, 1, [A, C])).toEqual([C]);
    clock.advance(1000);
    expect(sent).toEqual([]);
  });
});
