// Which platform server addresses the desk accepts (shared/desk-api/server-url.ts): the desk sends the
// user's password there, so https only, plain http only to this computer, and nothing that hides what the
// address really is.
import { describe, expect, it } from 'vitest';
import { checkServerUrl, isLoopbackHost } from '../../shared/desk-api/server-url';
import { serverChangeInput, settings, settingsChange } from '../../shared/desk-api/schemas';

describe('checkServerUrl', () => {
  it.each([
    ['https://disputes.example', 'https://disputes.example'],
    ['https://disputes.example/', 'https://disputes.example'],
    ['https://disputes.example:8443/platform/', 'https://disputes.example:8443/platform'],
    ['HTTPS://Disputes.Example', 'https://disputes.example'],
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
    ['http://127.42.0.9:1', 'http://127.42.0.9:1'],
    ['http://localhost:8787/', 'http://localhost:8787'],
    ['http://[::1]:8787', 'http://[::1]:8787'],
    // Other spellings of a loopback address, as the URL parser normalises them.
    ['http://127.1:8787', 'http://127.0.0.1:8787'],
    ['http://0x7f.0.0.1:8787', 'http://127.0.0.1:8787'],
    // A look-alike host (a Cyrillic "а") is kept in its punycode form: that is what the dialog shows.
    ['https://exаmple.com', 'https://xn--exmple-4nf.com'],
  ])('accepts %s as %s', (input, url) => {
    expect(checkServerUrl(input)).toEqual({ ok: true, url });
  });

  it.each([
    ['javascript:fetch("//evil.example")', /not javascript:/],
    ['file:///etc/passwd', /not file:/],
    ['data:text/html,hi', /not data:/],
    ['ftp://disputes.example', /not ftp:/],
    ['ws://127.0.0.1:8787', /not ws:/],
    ['http://evil.example', /plain http/],
    ['http://disputes.example:80', /plain http/],
    ['http://10.0.0.5:8787', /plain http/],
    ['http://0.0.0.0:8787', /plain http/],
    ['http://localhost.evil.example', /plain http/],
    ['http://127.0.0.1.evil.example', /plain http/],
    ['http://[::ffff:7f00:1]:8787', /plain http/],
    ['https://ana:secret@disputes.example', /user name or password/],
    ['https://ana@disputes.example', /user name or password/],
    ['https://disputes.example@evil.example', /user name or password/],
    ['https://disputes.example?next=evil', /query/],
    ['https://disputes.example#x', /query/],
    ['https://disputes.example#', /query/],
    [' https://disputes.example', /spaces/],
    ['https://disputes.example ', /spaces/],
    ['https://disp\tutes.example', /spaces/],
    ['https://disputes.example\n', /spaces/],
    ['https://disputes\u200b.example', /invisible/],
    ['https://\u202eelpmaxe.setupsid', /invisible/],
    ['https://disputes.example\u00a0', /spaces/],
    ['not a url', /spaces/],
    ['disputes.example', /not a web address/],
    ['', /1 to/],
    [`https://disputes.example/${'a'.repeat(2000)}`, /1 to/],
  ])('refuses %j', (input, reason) => {
    const checked = checkServerUrl(input);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.reason).toMatch(reason);
  });

  it('knows the loopback names only', () => {
    expect(['localhost', '127.0.0.1', '127.255.255.254', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['localhost.', 'localhost.example', '128.0.0.1', '[::2]', '1.127.0.0.1', 'example.com'].some(isLoopbackHost)).toBe(false);
  });
});

describe('the desk settings schemas', () => {
  it('read a stored address that is not acceptable as none (the bundled server), and normalise a good one', () => {
    expect(settings.shape.serverUrl.safeParse('http://evil.example').success).toBe(false);
    expect(settings.shape.serverUrl.parse('https://disputes.example/')).toBe('https://disputes.example');
    expect(settings.shape.serverUrl.parse(null)).toBeNull();
  });

  it('let the renderer change language and theme, but not the server', () => {
    expect(settingsChange.safeParse({ theme: 'dark' }).success).toBe(true);
    expect(settingsChange.safeParse({ serverUrl: 'https://disputes.example' }).success).toBe(false);
    expect(serverChangeInput.safeParse({ serverUrl: 'javascript:alert(1)' }).success).toBe(false);
    expect(serverChangeInput.parse({ serverUrl: null })).toEqual({ serverUrl: null });
  });
});
