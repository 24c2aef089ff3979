// "Restart to update": shown under the banner when the Electron shell has downloaded an update and its gate
// lets it be installed now (electron/main/update-gate.ts); when the gate holds it, the strip says why
// instead of offering the button. The browser host has no window.deskShell and never shows it. The region
// is always there (empty when there is nothing to say), so that screen readers announce what appears in it.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UpdateNotice } from '../../../shared/desk-api/shell';
import { Button } from '../components';

export function UpdateBanner() {
  const { t } = useTranslation('common');
  const [notice, setNotice] = useState<UpdateNotice>({ kind: 'none' });
  const [restarting, setRestarting] = useState(false);

  useEffect(() => window.deskShell?.onUpdateNotice(setNotice), []);

  async function restart() {
    setRestarting(true);
    // Main asks the gate again: false means it held the restart, and its new notice says why.
    const restarted = (await window.deskShell?.restartToUpdate()) ?? false;
    if (!restarted) setRestarting(false);
  }

  return (
    <div className="update-banner" role="status">
      {notice.kind === 'ready' && (
        <div className="update-banner__body">
          <span>{t('update.ready', { version: notice.version })}</span>
          <Button variant="primary" busy={restarting} onClick={() => void restart()}>
            {t('update.restart')}
          </Button>
        </div>
      )}
      {notice.kind === 'held' && (
        <div className="update-banner__body update-banner__body--held">
          <span>
            {t('update.ready', { version: notice.version })} {t(`update.held.${notice.why}`)}
          </span>
        </div>
      )}
    </div>
  );
}
