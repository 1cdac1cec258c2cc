import { useState } from 'preact/hooks';
import type { ManualLinker } from '@shoal/shared/link';
import { LazyQrCode } from './lazy-qr-code';

export interface ManualConnectProps {
  linker: ManualLinker;
}

/**
 * Connect to someone with no signal server: one side creates an invite code, the other pastes it and
 * sends back an answer code, the first pastes that. Peer exchange then links the rest of the room.
 */
export function ManualConnect({ linker }: ManualConnectProps) {
  const [open, setOpen] = useState(false);
  const [output, setOutput] = useState('');
  const [outputLabel, setOutputLabel] = useState('Your code');
  const [pasted, setPasted] = useState('');
  const [note, setNote] = useState('');

  const createInvite = async () => {
    setNote('Preparing an invite…');
    try {
      setOutput(await linker.createInvite());
      setOutputLabel('Your invite code');
      setNote('Send this code to someone in the room, then paste their answer below.');
    } catch (error) {
      setNote(error instanceof Error ? error.message : String(error));
    }
  };
  const usePasted = async () => {
    const result = await linker.usePasted(pasted);
    if (result.kind === 'answer') {
      setOutput(result.code);
      setOutputLabel('Your answer code');
      setNote('Send this answer back to whoever invited you.');
    } else if (result.kind === 'connecting') {
      setNote('Connecting… the peer shows in the list once linked.');
    } else {
      setNote(result.message);
    }
    setPasted('');
  };

  return (
    <section class="manual">
      <button type="button" class="ghost" aria-expanded={open} aria-controls="manual-panel" onClick={() => setOpen(!open)}>
        Connect manually
      </button>
      {open && (
        <div id="manual-panel" class="manual-panel">
          <button type="button" onClick={() => void createInvite()}>
            Create invite
          </button>
          {output && (
            <>
              <label for="manual-output">{outputLabel}</label>
              <textarea id="manual-output" readOnly rows={3} value={output} onFocus={(event) => event.currentTarget.select()} />
              <LazyQrCode text={output} label={outputLabel} />
            </>
          )}
          <label for="manual-paste">Paste a code</label>
          <textarea id="manual-paste" rows={3} value={pasted} onInput={(event) => setPasted(event.currentTarget.value)} />
          <button type="button" disabled={pasted.trim() === ''} onClick={() => void usePasted()}>
            Use code
          </button>
          <p class="hint" aria-live="polite">
            {note}
          </p>
        </div>
      )}
    </section>
  );
}
