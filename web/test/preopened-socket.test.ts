import { afterEach, describe, expect, it, vi } from 'vitest';
import { preopenedSocket } from '../src/net/browser-socket';

/** The part of the DOM WebSocket the socket openers touch; each instance is recorded. */
class StubWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 3;
  static created: StubWebSocket[] = [];
  readyState = StubWebSocket.CONNECTING;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    StubWebSocket.created.push(this);
  }
  send(text: string) {
    this.sent.push(text);
  }
  close() {
    this.readyState = StubWebSocket.CLOSED;
  }
  open() {
    this.readyState = StubWebSocket.OPEN;
    this.onopen?.();
  }
}

function handlers() {
  const events: string[] = [];
  return { events, onOpen: () => events.push('open'), onMessage: (data: unknown) => events.push(`message ${String(data)}`), onClose: () => events.push('close') };
}

describe('preopenedSocket', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    StubWebSocket.created = [];
  });

  it('hands the socket it opened early to the first dial of that URL, and reports the open after returning', async () => {
    vi.stubGlobal('WebSocket', StubWebSocket);
    const openSocket = preopenedSocket('ws://a/');
    expect(StubWebSocket.created).toHaveLength(1);
    StubWebSocket.created[0]?.open();
    const first = handlers();
    const socket = openSocket('ws://a/', first);
    expect(first.events).toEqual([]);
    await Promise.resolve();
    expect(first.events).toEqual(['open']);
    socket.send('join');
    expect(StubWebSocket.created).toHaveLength(1);
    expect(StubWebSocket.created[0]?.sent).toEqual(['join']);
  });

  it('reports the open when the early socket is still connecting at adoption', () => {
    vi.stubGlobal('WebSocket', StubWebSocket);
    const openSocket = preopenedSocket('ws://a/');
    const first = handlers();
    openSocket('ws://a/', first);
    StubWebSocket.created[0]?.open();
    expect(first.events).toEqual(['open']);
  });

  it('opens sockets of its own for a second dial, for another URL, and after the early one closed', () => {
    vi.stubGlobal('WebSocket', StubWebSocket);
    preopenedSocket('ws://a/')('ws://a/', handlers());
    preopenedSocket('ws://a/')('ws://b/', handlers());
    const openSocket = preopenedSocket('ws://a/');
    StubWebSocket.created.at(-1)?.close();
    openSocket('ws://a/', handlers());
    openSocket('ws://a/', handlers());
    expect(StubWebSocket.created.map((socket) => socket.url)).toEqual(['ws://a/', 'ws://a/', 'ws://b/', 'ws://a/', 'ws://a/', 'ws://a/']);
  });
});
