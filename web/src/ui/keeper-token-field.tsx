import { CopyButton } from './copy-button';

/**
 * A private room's keeper token, for `shoal-peer --keeper-token`: a keeper started with it holds and
 * serves the room's history without being able to read it (see shared/src/crypto/keeper-token.ts).
 */
export function KeeperTokenField({ token }: { token: string }) {
  return (
    <div class="keeper-token">
      <label for="keeper-token">Keeper token</label>
      <input id="keeper-token" readOnly value={token} onFocus={(event) => event.currentTarget.select()} />
      <CopyButton text={token} label="Copy" copiedLabel="Copied" promptTitle="Copy the keeper token" ariaLabel="Copy keeper token" />
      <p class="hint">Lets an always-on shoal-peer keeper store this room’s history encrypted, without the passphrase.</p>
    </div>
  );
}
