// The browser host prints `http://127.0.0.1:P/#k=<secret>`. The secret is in the fragment, which the
// browser never sends to any server, and it leaves the address bar as soon as the page has read it, so it
// does not end up in bookmarks, history or a screen share.

const FRAGMENT = /^#k=([A-Za-z0-9_-]{32,256})(?:&(.*))?$/s;
const SESSION_KEY = 'dispute-desk.launch-secret';

export interface FragmentSecret {
  secret: string;
  /** The fragment without the secret ('' when nothing else was there). */
  remainingHash: string;
}

export function secretFromFragment(hash: string): FragmentSecret | null {
  const match = FRAGMENT.exec(hash);
  if (!match?.[1]) return null;
  return { secret: match[1], remainingHash: match[2] ? `#${match[2]}` : '' };
}

/**
 * The launch secret for this tab: from the fragment (then removed from the address bar), or the one this
 * tab was opened with. It is kept in sessionStorage as well as in memory because a reload would otherwise
 * lock the user out of the desk; sessionStorage belongs to this tab and this origin and dies with the tab.
 */
export function takeLaunchSecret(
  location: Location,
  history: History,
  storage: Storage | null,
): string | null {
  const fromFragment = secretFromFragment(location.hash);
  if (fromFragment) {
    history.replaceState(
      history.state,
      '',
      `${location.pathname}${location.search}${fromFragment.remainingHash}`,
    );
    storage?.setItem(SESSION_KEY, fromFragment.secret);
    return fromFragment.secret;
  }
  return storage?.getItem(SESSION_KEY) ?? null;
}
