import type { RoomName } from '@shoal/shared';
import { useEffect, useState } from 'preact/hooks';
import type { RoomSession } from '../room/open-room';
import type { RoomPage as RoomPageComponent } from './room-page';

export interface RoomLoaderProps {
  room: RoomName;
}

type Loaded = { session: RoomSession; RoomPage: typeof RoomPageComponent };

/**
 * Loads the room code (mesh, WebRTC, IndexedDB: most of the JavaScript) only when a room is opened,
 * opens the room, and closes it when the reader navigates away.
 */
export function RoomLoader({ room }: RoomLoaderProps) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    let session: RoomSession | null = null;
    Promise.all([import('../room/open-room'), import('./room-page')])
      .then(async ([roomModule, pageModule]) => {
        const opened = await roomModule.openRoom(room);
        if (cancelled) return opened.close();
        session = opened;
        setLoaded({ session: opened, RoomPage: pageModule.RoomPage });
      })
      .catch((reason: unknown) => {
        if (!cancelled) setError(reason instanceof Error ? reason.message : String(reason));
      });
    return () => {
      cancelled = true;
      session?.close();
    };
  }, [room]);

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
        <p role="status">Opening #{room}…</p>
      </main>
    );
  }
  const { session, RoomPage } = loaded;
  return (
    <RoomPage
      room={session.room}
      link={session.link}
      state={session.state}
      initialName={session.initialName}
      fingerprint={session.fingerprint}
      maxBodyChars={session.maxBodyChars}
      onNameChange={session.setName}
      counters={session.counters}
    />
  );
}
