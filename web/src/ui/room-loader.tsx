import type { RoomName } from '@shoal/shared';
import type { OpenSocket } from '@shoal/shared/link';
import { useLayoutEffect, useState } from 'preact/hooks';
import type { RoomSession } from '../room/open-room';
import { PassphraseForm } from './passphrase-form';
import type { RoomPage as RoomPageComponent } from './room-page';

export interface RoomLoaderProps {
  room: RoomName;
  /** A private room: ask for the passphrase before opening. */
  isPrivate: boolean;
  /** Opens sockets to the signal server (see preopenedSocket). */
  openSocket: OpenSocket;
}

type Loaded = { session: RoomSession; RoomPage: typeof RoomPageComponent };

/**
 * Loads the room code (mesh, WebRTC, IndexedDB: most of the JavaScript) only when a room is opened,
 * opens the room, and closes it when the reader navigates away.
 */
export function RoomLoader({ room, isPrivate, openSocket }: RoomLoaderProps) {
  const [passphrase, setPassphrase] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const waiting = isPrivate && passphrase === null;
  // A layout effect, so the room opens right after this first render: a plain effect waits for the next
  // paint, which in a busy browser came ~250 ms after the room code was in (bench:mesh, issue 14).
  useLayoutEffect(() => {
    if (waiting) return;
    let cancelled = false;
    let session: RoomSession | null = null;
    // The room opens (signaling, WebRTC) as soon as its code is in; the page's code loads meanwhile.
    const pageModule = import('./room-page');
    import('../room/open-room')
      .then(async (roomModule) => {
        const opened = await roomModule.openRoom(room, { passphrase, openSocket });
        if (cancelled) return opened.close();
        session = opened;
        const { RoomPage } = await pageModule;
        if (cancelled) return opened.close();
        setLoaded({ session: opened, RoomPage });
      })
      .catch((reason: unknown) => {
        if (!cancelled) setError(reason instanceof Error ? reason.message : String(reason));
      });
    return () => {
      cancelled = true;
      session?.close();
    };
  }, [room, waiting]);

  if (waiting) return <PassphraseForm room={room} onSubmit={setPassphrase} />;
  if (error) {
    return (
      <main class="landing">
        <h1 class="brand">Shoal</h1>
        <p class="error" role="alert">
          Could not open #{room}: {error}
        </p>
        <a href="#">Back to the start page</a>
      </main>
    );
  }
  if (!loaded) {
    return (
      <main class="landing">
        <p role="status">{isPrivate ? `Deriving the key of #${room}…` : `Opening #${room}…`}</p>
      </main>
    );
  }
  const { session, RoomPage } = loaded;
  return (
    <RoomPage
      room={session.room}
      link={session.link}
      encrypted={session.encrypted}
      wrongPassphrase={session.wrongPassphrase}
      state={session.state}
      typing={session.typing}
      notify={session.notify}
      initialName={session.initialName}
      fingerprint={session.fingerprint}
      identityReplaced={session.identityReplaced !== null}
      maxTextChars={session.maxTextChars}
      onNameChange={session.setName}
      counters={session.counters}
      links={session.links}
      topology={session.topology}
      manual={session.manual}
      history={session.historyTools}
      keeperToken={session.keeperToken}
      files={session.files ?? undefined}
    />
  );
}
