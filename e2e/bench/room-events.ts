// A room's worth of genuinely signed protocol v2 events for the chat benchmark: texts from three
// people, reactions, edits and deletions, as an export file holds them. Bundled by esbuild at run time
// (bench/chat-events.mjs), since node runs the benchmarks without a TypeScript loader.
import * as v from 'valibot';
import {
  type SignedEvent, RoomNameSchema, createIdentity, createSignatureVerifier, encodeContent, generateIdentityKeyPair, signEvent, streamIdOf,
} from '@shoal/shared';

/** Of every 100 events: texts, reactions, edits and deletions (the rest). */
const MIX = { text: 70, reaction: 20, edit: 8 } as const;
const EMOJI = ['👍', '❤️', '😂', '🎉'];

export interface RoomEvents {
  events: SignedEvent[];
  /** Marker carried by the newest text, which is edited and reacted to last. */
  lastMarker: string;
}

/** `total` events of `roomName`, oldest first, sent one second apart ending now; deterministic mix. */
export async function makeRoomEvents(roomName: string, total: number): Promise<RoomEvents> {
  const room = v.parse(RoomNameSchema, roomName);
  const verifier = createSignatureVerifier();
  const people = await Promise.all(
    ['Ada', 'Brian', 'Cleo'].map(async (name) => {
      const identity = await createIdentity(await generateIdentityKeyPair());
      return { name, identity, author: await streamIdOf(verifier, identity.publicKey, 0), seq: 0, texts: [] as SignedEvent[] };
    }),
  );
  const events: SignedEvent[] = [];
  const start = Date.now() - total * 1000;
  const sign = async (who: (typeof people)[number], kind: string, body: string, target?: string) => {
    who.seq += 1;
    const at = start + events.length * 1000;
    const event = await signEvent(who.identity, verifier, who.author, { room, seq: who.seq, lamport: at, sentAt: at, kind, body, ...(target !== undefined && { target }) });
    events.push(event);
    return event;
  };
  for (let n = 0; n < total - 3; n++) {
    const who = people[n % people.length]!;
    const slot = n % 100;
    const own = who.texts.at(-1);
    const anyText = people[(n + 1) % people.length]!.texts.at(-1);
    if (slot < MIX.text || !own || !anyText) {
      who.texts.push(await sign(who, 'text', encodeContent('text', { text: `event message [[e${n}]] ${'x'.repeat(40)}`, name: who.name })));
    } else if (slot < MIX.text + MIX.reaction) {
      await sign(who, 'reaction', encodeContent('reaction', { emoji: EMOJI[n % EMOJI.length]! }), anyText.id);
    } else if (slot < MIX.text + MIX.reaction + MIX.edit) {
      await sign(who, 'edit', encodeContent('edit', { text: `edited message ${own.id.slice(0, 6)}` }), own.id);
    } else {
      await sign(who, 'delete', '', who.texts.shift()!.id);
    }
  }
  // The newest text is edited (keeping its marker) and reacted to: the reload shows both on it.
  const [ada, brian] = people as [(typeof people)[number], (typeof people)[number]];
  const marker = `e${total}`;
  const lastText = await sign(ada, 'text', encodeContent('text', { text: `last message [[${marker}]]`, name: ada.name }));
  await sign(ada, 'edit', encodeContent('edit', { text: `last message, edited [[${marker}]]` }), lastText.id);
  await sign(brian, 'reaction', encodeContent('reaction', { emoji: '🎉' }), lastText.id);
  return { events, lastMarker: marker };
}
