import { CopyButton } from './copy-button';
import { LockIcon } from './lock-icon';

export interface RoomHeaderProps {
  room: string;
  link: string;
  encrypted: boolean;
  statusText: string;
  /** Whether the signal server connection is up (styles the status dot). */
  connected: boolean;
}

/** Room name, copy-link button and the live connection status. */
export function RoomHeader({ room, link, encrypted, statusText, connected }: RoomHeaderProps) {
  return (
    <header class="room-header">
      <a class="brand small" href="#" aria-label="Shoal home">
        Shoal
      </a>
      <h1 class="room-name" title={room}>
        #{room}
      </h1>
      {encrypted && (
        <span class="badge" title="Messages are end-to-end encrypted with the room passphrase">
          <LockIcon /> Private
        </span>
      )}
      <CopyButton text={link} label="Copy link" copiedLabel="Link copied" promptTitle="Copy this link" />
      <p role="status" class={connected ? 'status online' : 'status'}>
        {statusText}
      </p>
    </header>
  );
}
