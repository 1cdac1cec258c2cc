/** `@shoal/shared/link`: the link policy (signaling client, WebRTC connector) behind small ports. */
export * from './backoff';
export * from './late-mesh';
export * from './peer-connection';
export * from './peer-connector';
export * from './signal-data';
export * from './signaling-client';
export * from './socket';
export * from './data-peer-connection';
export * from './peer-link-adapter';
export * from './signal-urls';
export * from './room-links';
export * from './invite-code';
export * from './manual-link';
export * from './peer-connector-options';
export * from './connection-budget';
