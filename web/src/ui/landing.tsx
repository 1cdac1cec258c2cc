import { RoomNameSchema } from '@shoal/shared';
import { useState } from 'preact/hooks';
import * as v from 'valibot';
import { randomRoomName, roomHash, roomLink } from '../state/route';

export interface LandingProps {
  /** Why the link that brought the reader here did not open a room, if it did not. */
  error: string | null;
}

/** Create a room (random name) or join one by name; shows the link to share. */
export function Landing({ error }: LandingProps) {
  const [name, setName] = useState('');
  const [isPrivate, setPrivate] = useState(false);
  const parsed = v.safeParse(RoomNameSchema, name.trim());
  const invalid = name.trim() !== '' && !parsed.success;
  return (
    <main class="landing">
      <h1 class="brand">Shoal</h1>
      <p class="lede">Chat that travels browser to browser. The server only introduces peers; messages never pass through it.</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <label class="check">
        <input type="checkbox" checked={isPrivate} onChange={(event) => setPrivate(event.currentTarget.checked)} />
        Private room: end-to-end encrypted with a passphrase you share out of band
      </label>
      <button type="button" class="primary big" onClick={() => (location.hash = roomHash(randomRoomName(Math.random), isPrivate))}>
        Create a room
      </button>
      <form
        class="join"
        onSubmit={(event) => {
          event.preventDefault();
          if (parsed.success) location.hash = roomHash(parsed.output, isPrivate);
        }}
      >
        <label for="room-name">Or join a room by name</label>
        <div class="row">
          <input
            id="room-name"
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
            placeholder="coral-tide-4821"
            autoComplete="off"
            spellcheck={false}
            aria-invalid={invalid}
            aria-describedby="room-hint"
          />
          <button type="submit" disabled={!parsed.success}>
            Join
          </button>
        </div>
        <p id="room-hint" class={invalid ? 'hint error' : 'hint'}>
          {parsed.success ? `Share this link: ${roomLink(location, parsed.output, isPrivate)}` : 'Letters, digits, dots, dashes and underscores; up to 64.'}
        </p>
      </form>
    </main>
  );
}
