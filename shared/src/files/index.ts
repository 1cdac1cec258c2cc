/**
 * `@shoal/shared/files`: files and pictures in rooms. The app calls createFileSwarm (a FileSwarm per
 * room, see file-api.ts for the contract and file-swarm.ts for its deps and options); hosts implement
 * ChunkStore (OPFS, disk; `@shoal/shared/testing` has a memory one).
 */
export type * from './file-api';
export { createFileSwarm, DEFAULT_FILE_SWARM_OPTIONS, type FileSwarmDeps, type FileSwarmOptions, type KeepingFileSwarm } from './file-swarm';
export { layoutOf } from './file-share';
export { DEFAULT_SCHEDULER_OPTIONS, type SchedulerOptions } from './chunk-scheduler';
