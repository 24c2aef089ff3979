// Where Electron's main takes the desk's data key from (electron/main/data-key.ts): a key that exists is the
// only one that opens the desk's files, the outbox among them, so none is ever made while one exists.
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ safeStorage: {} }));
const { keySource } = await import('../../electron/main/data-key');

describe("the desk's data key", () => {
  it('is made sealed by the keystore on first start, or kept in a 0600 file where there is no keystore', () => {
    expect(keySource({ sealed: false, plain: false }, true)).toBe('new_sealed');
    expect(keySource({ sealed: false, plain: false }, false)).toBe('new_plain');
  });

  it('is the sealed one whenever it exists, and stops the start when the keystore is missing this session', () => {
    expect(keySource({ sealed: true, plain: false }, true)).toBe('sealed');
    expect(() => keySource({ sealed: true, plain: false }, false)).toThrow(/not available in this session.*nothing was changed/);
  });

  it('is the plain one made without a keystore even once a keystore appears', () => {
    expect(keySource({ sealed: false, plain: true }, true)).toBe('plain');
    expect(keySource({ sealed: false, plain: true }, false)).toBe('plain');
  });
});
