// Instrumentation installed into every benchmark tab with `context.addInitScript(installProbe, options)`.
// Playwright serializes the function, so it must not reference anything outside its own body.

/**
 * @typedef {object} ProbeOptions
 * @property {number} expectedLinks Links that count as "fully meshed" for this tab.
 * @property {number} [syncTarget] Messages delivered (live or by history sync, each once) that count as synced.
 * @property {boolean} [watchLogLater] Start timing log items only at `watchLog()` (bench:mesh: while a room
 *   forms, the observer's work on every DOM change would be charged to the app, not the bare baseline).
 */

/**
 * @typedef {object} Probe
 * @property {number} timeOrigin performance.timeOrigin: this document's navigation start, epoch ms.
 * @property {number | null} linkedAt Epoch ms of the app's mark (a channel opening, or the room opening) at
 *   which shoalTest.linkedPeerIds() first reached expectedLinks.
 * @property {number | null} syncedAt Epoch ms when the counters first reached syncTarget.
 * @property {Record<string, number>} sentAt Marker -> epoch ms of the Enter keydown that sent it.
 * @property {Record<string, number>} seenAt Marker -> epoch ms its `li[data-message-id]` entered the DOM.
 * @property {(marker: string) => Promise<void>} seen Resolves once the marker has been seen.
 * @property {() => void} watchLog Starts timing log items (at once unless `watchLogLater`).
 */

/**
 * Messages carry a marker `[[...]]`; the probe timestamps the Enter keydown that sends one (capture
 * phase, before the app handles it) and the DOM insertion of its log item in every tab (a
 * MutationObserver callback runs right after the mutation, before the next paint). Epoch ms come from
 * performance.timeOrigin + performance.now(), comparable across tabs of one machine.
 * @param {ProbeOptions} options
 */
export function installProbe(options) {
  const MARKER = /\[\[([^\]]+)\]\]/;
  const now = () => performance.timeOrigin + performance.now();
  /** @type {Map<string, () => void>} */
  const waiters = new Map();
  /** @type {Probe} */
  const probe = {
    timeOrigin: performance.timeOrigin,
    linkedAt: null,
    syncedAt: null,
    sentAt: {},
    seenAt: {},
    seen: (marker) => new Promise((resolve) => {
      if (marker in probe.seenAt) resolve();
      else waiters.set(marker, resolve);
    }),
    watchLog: () => {
      if (watching) return;
      watching = true;
      logObserver.observe(document, { childList: true, subtree: true, characterData: true });
    },
  };
  let watching = false;
  /** @type {Window & { __shoalProbe?: Probe }} */ (window).__shoalProbe = probe;

  // Linked: checked at the app's own marks (formation-marks.ts) of a data channel opening and of the
  // room opening (when the hooks appear), and timed by them. No polling: a 5 ms timer in each of 16
  // tabs was work the bare baseline's pages did not do.
  const linkMarks = new PerformanceObserver((list) => {
    const hooks = window.shoalTest;
    const marks = list.getEntries().filter((mark) => /^shoal:(link-\d+|room-open)$/.test(mark.name));
    if (!hooks || marks.length === 0 || hooks.linkedPeerIds().length < options.expectedLinks) return;
    // Not yet linked at the previous batch: the mark that completed it is in this one, at the latest last.
    probe.linkedAt = performance.timeOrigin + Math.max(...marks.map((mark) => mark.startTime));
    linkMarks.disconnect();
  });
  linkMarks.observe({ type: 'mark' });

  if (options.syncTarget !== undefined) {
    const syncTarget = options.syncTarget;
    const poll = setInterval(() => {
      // Not historyMessagesReceived: it also counts copies received again, which are not progress.
      if ((window.shoalTest?.counters().delivered ?? 0) < syncTarget) return;
      probe.syncedAt = now();
      clearInterval(poll);
    }, 5);
  }

  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.shiftKey || !(event.target instanceof HTMLTextAreaElement)) return;
    const match = MARKER.exec(event.target.value);
    if (match?.[1] !== undefined) probe.sentAt[match[1]] = now();
  }, true);

  /** @param {Element} item @param {number} at */
  const record = (item, at) => {
    const match = MARKER.exec(item.textContent ?? '');
    const marker = match?.[1];
    if (marker === undefined || marker in probe.seenAt) return;
    probe.seenAt[marker] = at;
    waiters.get(marker)?.();
    waiters.delete(marker);
  };
  const logObserver = new MutationObserver((records) => {
    const at = now();
    for (const mutation of records) {
      // Text changed inside an existing item (a renderer may reuse list items).
      const target = mutation.target instanceof Element ? mutation.target : mutation.target.parentElement;
      const around = target?.closest('li[data-message-id]');
      if (around) record(around, at);
      for (const node of mutation.addedNodes) {
        if (!(node instanceof Element)) continue;
        if (node.matches('li[data-message-id]')) record(node, at);
        else for (const item of node.querySelectorAll('li[data-message-id]')) record(item, at);
      }
    }
  });
  if (!options.watchLogLater) probe.watchLog();
}
