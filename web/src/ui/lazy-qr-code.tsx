import { useEffect, useState } from 'preact/hooks';
import type { QrCode as QrCodeComponent } from './qr-code';

type QrCodeView = typeof QrCodeComponent;

/**
 * The QR encoder is a fifth of the room page's script and few readers ever show a code: it loads the
 * first time one is shown, not with every room (issue 14). A failed load is tried again next time.
 */
let loading: Promise<QrCodeView> | null = null;
function loadQrCode(): Promise<QrCodeView> {
  loading ??= import('./qr-code').then(
    (module) => module.QrCode,
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

/** QrCode, drawn once its code has loaded. */
export function LazyQrCode(props: { text: string; label: string }) {
  const [view, setView] = useState<{ QrCode: QrCodeView } | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let shown = true;
    loadQrCode().then(
      (QrCode) => shown && setView({ QrCode }),
      () => shown && setFailed(true),
    );
    return () => {
      shown = false;
    };
  }, []);
  if (failed) return <p class="hint">The QR code could not be loaded: copy the text instead.</p>;
  if (!view) return <p class="hint">Drawing the QR code…</p>;
  return <view.QrCode {...props} />;
}
