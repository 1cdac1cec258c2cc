import { useState } from 'preact/hooks';
import { CopyButton } from './copy-button';
import { LockIcon } from './lock-icon';
import { LazyQrCode } from './lazy-qr-code';

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
  const [showQr, setShowQr] = useState(false);
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
      {/* Short on screen (the room name needs the width on a phone); the name says what it is. */}
      <button type="button" class="ghost" aria-label="QR code of the room link" aria-expanded={showQr} aria-controls="room-qr" onClick={() => setShowQr(!showQr)}>
        QR
      </button>
      <p role="status" class={connected ? 'status online' : 'status'}>
        {statusText}
      </p>
      {showQr && (
        <div id="room-qr" class="qr-panel">
          <LazyQrCode text={link} label={`QR code of the room link ${link}`} />
          {encrypted && <p class="hint">The passphrase is not in the link: tell it separately.</p>}
        </div>
      )}
    </header>
  );
}
