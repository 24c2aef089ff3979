// The root: waits for the desk's session, settings and server, then shows the first-run choice (no server
// chosen yet), sign-in or the signed-in shell. When the
// desk says the session expired, sign-in comes back; drafts stay in the desk and reappear after it.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { FirstRunScreen } from '../features/firstrun/FirstRunScreen';
import { SignInScreen } from '../features/signin/SignInScreen';
import { hasDesk, onDeskEvent } from '../desk';
import { showsServerChoice, useServer } from '../stores/server';
import { useSession } from '../stores/session';
import { useSettings } from '../stores/settings';
import { Shell } from './Shell';
import './styles/tokens.css';
import './styles/base.css';
import './app.css';

export function App() {
  if (!hasDesk()) return <NoDeskScreen />;
  return <DeskApp />;
}

function DeskApp() {
  const status = useSession((state) => state.status);
  const server = useServer((state) => state.info);
  const serverLoaded = useServer((state) => state.loaded);
  const choosing = useServer((state) => state.choosing);
  const { t } = useTranslation('common');

  useEffect(() => {
    void useSettings.getState().load();
    void useSession.getState().load();
    void useServer.getState().load();
    return onDeskEvent('session.expired', ({ idleMinutes }) => useSession.getState().expired(idleMinutes));
  }, []);

  if (status === 'loading' || !serverLoaded) {
    return (
      <main className="app-loading" aria-busy="true">
        <span className="spinner" aria-hidden="true" />
        {t('loading')}
      </main>
    );
  }
  if (status === 'signed_in') return <Shell />;
  // No server chosen yet (a fresh install), or "Change server" from sign-in: the choice comes first.
  if (server && showsServerChoice(server, choosing)) return <FirstRunScreen info={server} />;
  return <SignInScreen />;
}

/** A page opened without the desk bridge (no app, no launch secret): say how to open it properly. */
function NoDeskScreen() {
  const { t } = useTranslation('common');
  return (
    <main className="no-desk">
      <h1>{t('noDesk.title')}</h1>
      <p>{t('noDesk.body')}</p>
    </main>
  );
}
