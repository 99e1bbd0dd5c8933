// The cluster's private protocol: the messages the primary and a worker
// exchange for themselves, on the same IPC channel as the program's own
// messages. Node keeps it in one small file (lib/internal/cluster/utils.js);
// ours is three, one concern each, gathered here under one name:
//
//   messages.ts            what is said: each kind of message, its fields, which kind answers which request
//   intercept-messages.ts  how the cluster's messages are told from the program's, and taken out before any listener
//   channel.ts             how they are sent, and how a reply finds its request
export * from './messages';
export * from './intercept-messages';
export * from './channel';
