import { useState } from 'preact/hooks';

export interface CopyButtonProps {
  text: string;
  label: string;
  /** Shown for two seconds after a successful copy. */
  copiedLabel: string;
  /** Title of the prompt shown when the clipboard refuses. */
  promptTitle: string;
  /** Accessible name when the visible label is not enough. */
  ariaLabel?: string;
}

/** Copies `text` to the clipboard; where the clipboard refuses, shows it in a prompt to copy by hand. */
export function CopyButton({ text, label, copiedLabel, promptTitle, ariaLabel }: CopyButtonProps) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // Clipboard refused (no permission, insecure context): show the text so it can be copied by hand.
      prompt(promptTitle, text);
    }
  };
  return (
    <button type="button" class="ghost" onClick={copy} title={text} aria-label={ariaLabel}>
      {copied ? copiedLabel : label}
    </button>
  );
}
