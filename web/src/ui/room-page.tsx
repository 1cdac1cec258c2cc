import type { PeerInfo } from '@shoal/shared';
import { useEffect } from 'preact/hooks';
import { type ChatState, documentTitle } from '../state/chat';
import type { ManualLinker } from '../room/manual-link';
import { Composer } from './composer';
import { ManualConnect } from './manual-connect';
import { MessageLog } from './message-log';
import { NameField } from './name-field';
import { PeerList } from './peer-list';
import { RoomHeader } from './room-header';
import { type LinkInfo, StatsPanel } from './stats-panel';

export interface RoomPageProps {
  room: string;
  link: string;
  encrypted: boolean;
  state: ChatState;
  initialName: string;
  fingerprint: string;
  maxBodyChars: number;
  onNameChange(name: string): void;
  counters(): Readonly<Record<string, number>>;
  links(): LinkInfo[];
  manual: ManualLinker;
}

/** One room: header, message log and composer, and a side panel with name, peers and stats. */
export function RoomPage(props: RoomPageProps) {
  const { state } = props;
  const unread = state.unread.value;
  useEffect(() => {
    document.title = documentTitle(props.room, unread);
  }, [props.room, unread]);
  useEffect(() => {
    const onVisibility = () => state.setVisible(document.visibilityState === 'visible');
    onVisibility();
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [state]);
  const peers: readonly PeerInfo[] = state.peers.value;
  return (
    <div class="room">
      <RoomHeader room={props.room} link={props.link} encrypted={props.encrypted} statusText={state.statusText.value} connected={state.serverStatus.value === 'connected'} />
      <aside class="side">
        <NameField initial={props.initialName} onChange={props.onNameChange} fingerprint={props.fingerprint} />
        <PeerList peers={peers} />
        <ManualConnect linker={props.manual} />
        <StatsPanel counters={props.counters} links={props.links} />
      </aside>
      <main class="chat">
        <MessageLog messages={state.messages.value} isOwn={state.isOwn} hasOlder={state.hasOlder.value} loadOlder={state.loadOlder} />
        <Composer send={state.send} error={state.sendError.value} maxLength={props.maxBodyChars} encrypted={props.encrypted} />
      </main>
    </div>
  );
}
