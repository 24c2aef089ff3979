// The server CLI refuses, with a message, a Node its SQLite driver would crash on (electron/server/node-version.ts).
import { describe, expect, it } from 'vitest';
import { unsupportedNodeMessage } from '../../electron/server/node-version';

describe('unsupportedNodeMessage', () => {
  it.each(['22.0.0', '22.23.3', '24.1.0', '100.0.0'])('lets Node %s run the server', (version) => {
    expect(unsupportedNodeMessage(version)).toBeNull();
  });

  it.each(['20.20.2', '21.7.3', '18.19.0', '9.11.2'])(
    'refuses Node %s, naming it and the way to start',
    (version) => {
      const message = unsupportedNodeMessage(version);
      expect(message).toContain(`this is Node ${version}`);
      expect(message).toContain('needs Node 22 or newer');
      expect(message).toContain('npm run server');
    },
  );

  it('refuses a version it cannot read rather than let the driver crash', () => {
    expect(unsupportedNodeMessage('')).toMatch(/needs Node 22/);
    expect(unsupportedNodeMessage('v22')).toMatch(/needs Node 22/);
  });

  it('lets the Node of the running tests through (npm scripts run on Node 22)', () => {
    expect(unsupportedNodeMessage(process.versions.node)).toBeNull();
  });
});
