import { useState } from 'preact/hooks';
import { MAX_DISPLAY_NAME_CHARS } from '../state/name-pref';

export interface NameFieldProps {
  initial: string;
  /** Called on every edit (the mesh announces the name; storage remembers it). */
  onChange(name: string): void;
  fingerprint: string;
}

/** The reader's display name, and their own key fingerprint for others to compare. */
export function NameField({ initial, onChange, fingerprint }: NameFieldProps) {
  const [name, setName] = useState(initial);
  return (
    <div class="name-field">
      <label for="display-name">Name</label>
      <input
        id="display-name"
        value={name}
        maxLength={MAX_DISPLAY_NAME_CHARS}
        autoComplete="nickname"
        placeholder="Your name"
        onInput={(event) => {
          setName(event.currentTarget.value);
          onChange(event.currentTarget.value);
        }}
      />
      <p class="hint" title={fingerprint}>
        Your key: <span class="fingerprint">{fingerprint}</span>
      </p>
    </div>
  );
}
