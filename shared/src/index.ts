export * from './errors';
export * from './ids';
export * from './protocol/version';
export * from './protocol/limits';
export * from './protocol/signal-messages';
export * from './protocol/parse';
export * from './mesh/peer-link';
export * from './mesh/mesh-api';
