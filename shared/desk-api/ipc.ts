// The two IPC channels between the preload bridge and main, each named once. Every desk call travels on
// the first (its name and input are the contract's, shared/desk-api/contract.ts) and every desk event on
// the second. This file holds plain strings only: the sandboxed preload cannot load packages such as zod.
export const DESK_INVOKE_CHANNEL = 'desk:invoke';
export const DESK_EVENT_CHANNEL = 'desk:event';
