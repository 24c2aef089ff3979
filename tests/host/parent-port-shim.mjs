// Stands in for Electron's process.parentPort in a plain Node child started with child_process.fork, so
// that the desk worker (electron/desk-worker/index.ts) runs under test without an Electron binary.
import { EventEmitter } from 'node:events';

const parentPort = new EventEmitter();
parentPort.postMessage = (message) => process.send(message);
process.on('message', (data) => parentPort.emit('message', { data }));
process.parentPort = parentPort;
