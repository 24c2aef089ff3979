// Language and theme. Saved by the desk, so the choice survives a restart and applies at once. Signed in,
// also new backup codes (they belong to the account, not to this desk).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../shared/desk-api/schemas';
import { Alert, Button, Dialog, SelectField } from '../components';
import { NewBackupCodes } from '../features/signin/NewBackupCodes';
import { useSession } from '../stores/session';
import { useSettings } from '../stores/settings';

export function SettingsDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useTranslation('common');
  const settings = useSettings((state) => state.settings);
  const signedIn = useSession((state) => state.user !== null);
  const [failure, setFailure] = useState<string | null>(null);

  function save(change: Partial<Pick<Settings, 'language' | 'theme'>>) {
    setFailure(null);
    useSettings
      .getState()
      .update(change)
      .catch((error: unknown) => setFailure(t('settings.saveFailed', { message: error instanceof Error ? error.message : '' })));
  }

  return (
    <Dialog
      open={open}
      title={t('settings.title')}
      onClose={onClose}
      actions={
        <Button variant="primary" onClick={onClose}>
          {t('close')}
        </Button>
      }
    >
      <SelectField
        label={t('settings.language')}
        value={settings?.language ?? 'system'}
        onChange={(event) => save({ language: event.target.value as Settings['language'] })}
      >
        <option value="system">{t('settings.languageSystem')}</option>
        <option value="en" lang="en">
          {t('languageNames.en')}
        </option>
        <option value="es" lang="es">
          {t('languageNames.es')}
        </option>
      </SelectField>
      <SelectField
        label={t('settings.theme')}
        value={settings?.theme ?? 'system'}
        onChange={(event) => save({ theme: event.target.value as Settings['theme'] })}
      >
        <option value="system">{t('settings.themeSystem')}</option>
        <option value="light">{t('settings.themeLight')}</option>
        <option value="dark">{t('settings.themeDark')}</option>
      </SelectField>
      {failure && <Alert tone="error">{failure}</Alert>}
      {signedIn && <NewBackupCodes />}
    </Dialog>
  );
}
