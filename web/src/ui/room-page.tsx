import type { PeerInfo } from '@shoal/shared';
import { useEffect } from 'preact/hooks';
import { type ChatState, documentTitle } from '../state/chat';
import type { TopologySummary } from '../state/topology-rows';
import type { ManualLinker } from '../room/manual-link';
import { Composer } from './composer';
import { ManualConnect } from './manual-connect';
import { MessageLog } from './message-log';
import { NameField } from './name-field';
import { PeerList } from './peer-list';
import { RoomHeader } from './room-header';
import { type LinkInfo, StatsPanel } from './stats-panel';
import { ThrottleNotice } from './throttle-notice';

export interface RoomPageProps {
  room: string;
  link: string;
  encrypted: boolean;
  state: ChatState;
  initialName: string;
  fingerprint: string;
  maxTextChars: number;
  onNameChange(name: string): void;
  counters(): Readonly<Record<string, number>>;
  links(): LinkInfo[];
  topology(): TopologySummary;
  manual: ManualLinker;
}

/**
 * One room: header, message log and composer, and a side panel with name, peers and stats. Each live
 * part reads its own signals, so a peer update (every pong of every link) re-renders the peer list and
 * the status line, not the message log (whose layout effect measures the scroller).
 */
export function RoomPage(props: RoomPageProps) {
  const { state } = props;
  useEffect(() => {
    const onVisibility = () => state.setVisible(document.visibilityState === 'visible');
    onVisibility();
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [state]);
  return (
    <div class="room">
      <UnreadTitle room={props.room} state={state} />
      <LiveHeader room={props.room} link={props.link} encrypted={props.encrypted} state={state} />
      <aside class="side">
        <NameField initial={props.initialName} onChange={props.onNameChange} fingerprint={props.fingerprint} />
        <LivePeers state={state} />
        <ManualConnect linker={props.manual} />
        <StatsPanel counters={props.counters} links={props.links} topology={props.topology} />
      </aside>
      <main class="chat">
        <ThrottleNotice counters={props.counters} />
        <LiveLog state={state} />
        <LiveComposer state={state} maxLength={props.maxTextChars} encrypted={props.encrypted} />
      </main>
    </div>
  );
}

interface Live {
  state: ChatState;
}

/** Keeps the tab title in step with the unread count; renders nothing. */
function UnreadTitle({ room, state }: Live & { room: string }) {
  const unread = state.unread.value;
  useEffect(() => {
    document.title = documentTitle(room, unread);
  }, [room, unread]);
  return null;
}

function LiveHeader({ state, ...rest }: Live & Pick<RoomPageProps, 'room' | 'link' | 'encrypted'>) {
  return <RoomHeader {...rest} statusText={state.statusText.value} connected={state.serverStatus.value === 'connected'} />;
}

function LivePeers({ state }: Live) {
  const peers: readonly PeerInfo[] = state.peers.value;
  return <PeerList peers={peers} />;
}

function LiveLog({ state }: Live) {
  return <MessageLog messages={state.messages.value} isOwn={state.isOwn} hasOlder={state.hasOlder.value} loadOlder={state.loadOlder} />;
}

function LiveComposer({ state, ...rest }: Live & { maxLength: number; encrypted: boolean }) {
  return <Composer send={state.send} error={state.sendError.value} {...rest} />;
}
