import type { OpenSocket } from '@shoal/shared/link';
import { useEffect, useState } from 'preact/hooks';
import { type Route, parseRoute } from '../state/route';
import { Landing } from './landing';
import { RoomLoader } from './room-loader';

/** Routes on the location hash: `#room` opens a room, anything else shows the landing page. */
export function App({ openSocket }: { openSocket: OpenSocket }) {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  if (route.kind === 'room') return <RoomLoader key={`${route.private}:${route.room}`} room={route.room} isPrivate={route.private} openSocket={openSocket} />;
  return <Landing error={route.error} />;
}
