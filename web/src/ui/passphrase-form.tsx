import { useState } from 'preact/hooks';
import { LockIcon } from './lock-icon';

export interface PassphraseFormProps {
  room: string;
  onSubmit(passphrase: string): void;
}

/** Asks for a private room's passphrase; it stays in this tab, never in a link or on the server. */
export function PassphraseForm({ room, onSubmit }: PassphraseFormProps) {
  const [passphrase, setPassphrase] = useState('');
  return (
    <main class="landing">
      <h1 class="brand">Shoal</h1>
      <form
        class="join"
        onSubmit={(event) => {
          event.preventDefault();
          if (passphrase !== '') onSubmit(passphrase);
        }}
      >
        <h2 class="room-name">
          <LockIcon /> #{room}
        </h2>
        <p class="hint">
          This room is end-to-end encrypted. Everyone in it uses the same passphrase; a different one leads to a
          different, empty room.
        </p>
        <label for="passphrase">Passphrase</label>
        <div class="row">
          <input id="passphrase" type="password" autoComplete="off" value={passphrase} onInput={(event) => setPassphrase(event.currentTarget.value)} />
          <button type="submit" class="primary" disabled={passphrase === ''}>
            Enter
          </button>
        </div>
        <a href="#">Back to the start page</a>
      </form>
    </main>
  );
}
