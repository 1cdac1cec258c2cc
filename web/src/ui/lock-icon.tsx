/** A small padlock drawn inline (emoji fonts are not everywhere, e.g. minimal Linux installs). */
export function LockIcon() {
  return (
    <svg class="icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <path d="M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7zm2 0h4V5a2 2 0 0 0-4 0z" fill="currentColor" />
    </svg>
  );
}
