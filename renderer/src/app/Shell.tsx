// The signed-in frame: a banner with the product, sync state, the user and their settings, and the main
// landmark holding the current route (the queue, or a case workspace).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../components';
import { CaseWorkspace } from '../features/case/CaseWorkspace';
import { AuditScreen } from '../features/audit/AuditScreen';
import { AlertDetail } from '../features/compliance/AlertDetail';
import { AlertsScreen } from '../features/compliance/AlertsScreen';
import { PeopleScreen } from '../features/people/PeopleScreen';
import { QueueScreen } from '../features/queue/QueueScreen';
import { SupervisionScreen } from '../features/supervision/SupervisionScreen';
import { callDesk } from '../desk/client';
import { useSession } from '../stores/session';
import { useSync } from '../stores/sync';
import { alertsHref, auditHref, peopleHref, queueHref, supervisionHref, useRoute, type Route } from './router';
import { listenForPresence } from './presence';
import { SettingsDialog } from './SettingsDialog';
import { listenForShortcuts, useShortcut } from './shortcuts';
import { ShortcutsOverlay } from './ShortcutsOverlay';
import { SignOutButton } from './SignOutButton';
import { SyncIndicator } from './SyncIndicator';
import { UpdateBanner } from './UpdateBanner';

export function Shell() {
  const { t } = useTranslation('common');
  const route = useRoute();
  const user = useSession((state) => state.user);
  const [settingsOpen, setSettingsOpen] = useState(false);
  // KYT review is compliance's alone (DESIGN §4): other roles get no link, and its routes show the queue.
  const reviewsAlerts = user?.role === 'compliance';
  // The verdict history, its quality review and the audit chain are the supervisors' (DESIGN §4, §6).
  const supervises = user?.role === 'supervisor';

  const [shortcutsOpen, setShortcutsOpen] = useState(false);

  useEffect(() => useSync.getState().follow(), []);
  useEffect(() => listenForShortcuts(), []);
  useEffect(() => listenForPresence(() => void callDesk('session.activity').catch(() => undefined)), []);
  useShortcut('help', () => setShortcutsOpen(true));

  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={skipToMain}>
        {t('skipToContent')}
      </a>
      <header className="shell__banner">
        <a className="shell__brand" href={queueHref}>
          <BrandMark />
          <span>{t('appName')}</span>
        </a>
        <nav className="shell__nav" aria-label={t('shell.mainNav')}>
          <a href={queueHref} aria-current={route.name === 'queue' ? 'page' : undefined}>
            {t('shell.queue')}
          </a>
          {reviewsAlerts && (
            <a href={alertsHref} aria-current={route.name === 'alerts' ? 'page' : undefined}>
              {t('shell.alerts')}
            </a>
          )}
          {supervises && (
            <a
              href={supervisionHref}
              aria-current={route.name.startsWith('supervision') ? 'page' : undefined}
            >
              {t('shell.supervision')}
            </a>
          )}
          {supervises && (
            <a href={auditHref} aria-current={route.name === 'audit' ? 'page' : undefined}>
              {t('shell.audit')}
            </a>
          )}
          {supervises && (
            <a href={peopleHref} aria-current={route.name === 'people' ? 'page' : undefined}>
              {t('shell.people')}
            </a>
          )}
        </nav>
        <div className="shell__spacer" />
        <SyncIndicator />
        {user && (
          <div className="shell__user" aria-label={t('shell.signedInAs', { name: user.displayName })} role="group">
            <span className="shell__avatar" aria-hidden="true">
              {initials(user.displayName)}
            </span>
            <span className="shell__user-text">
              <span className="shell__user-name">{user.displayName}</span>
              <span className="shell__user-role">{t(`role.${user.role}`)}</span>
            </span>
          </div>
        )}
        <Button variant="quiet" onClick={() => setShortcutsOpen(true)} aria-keyshortcuts="?" title={t('shortcuts.open')}>
          <kbd aria-hidden="true">?</kbd>
          <span className="visually-hidden">{t('shortcuts.title')}</span>
        </Button>
        <Button variant="quiet" onClick={() => setSettingsOpen(true)}>
          {t('shell.settings')}
        </Button>
        <SignOutButton />
      </header>
      <UpdateBanner />
      <main id="main" className="shell__main" tabIndex={-1}>
        <RouteScreen route={route} reviewsAlerts={reviewsAlerts} supervises={supervises} />
      </main>
      <SettingsDialog open={settingsOpen} onClose={() => setSettingsOpen(false)} />
      <ShortcutsOverlay open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
    </div>
  );
}

function RouteScreen({ route, reviewsAlerts, supervises }: { route: Route; reviewsAlerts: boolean; supervises: boolean }) {
  switch (route.name) {
    case 'case':
      return <CaseWorkspace key={route.caseId} caseId={route.caseId} />;
    case 'alerts':
      return reviewsAlerts ? <AlertsScreen /> : <QueueScreen />;
    case 'alert':
      return reviewsAlerts ? <AlertDetail key={route.alertId} alertId={route.alertId} /> : <QueueScreen />;
    case 'supervision':
      return supervises ? <SupervisionScreen view="history" /> : <QueueScreen />;
    case 'supervisionReview':
      return supervises ? <SupervisionScreen view="review" /> : <QueueScreen />;
    case 'supervisionDeliveries':
      return supervises ? <SupervisionScreen view="deliveries" /> : <QueueScreen />;
    case 'audit':
      return supervises ? <AuditScreen /> : <QueueScreen />;
    case 'people':
      return supervises ? <PeopleScreen /> : <QueueScreen />;
    case 'queue':
      return <QueueScreen />;
  }
}

/** The skip link must not change the hash: the hash is the route. */
function skipToMain(event: React.MouseEvent) {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase() ?? '')
    .join('');
}

function BrandMark() {
  return (
    <svg className="shell__mark" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
      <rect x="1" y="1" width="22" height="22" rx="6" fill="currentColor" />
      <path d="M7 12.5l3.2 3.2L17 8.8" fill="none" stroke="var(--surface)" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
