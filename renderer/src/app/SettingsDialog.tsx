// Language, theme and how long decided cases stay on this computer. Saved by the desk, so the choice
// survives a restart and applies at once. Signed in, also new backup codes (they belong to the account,
// not to this desk).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { RETENTION_DAYS, retentionDays, type Settings } from '../../../shared/desk-api/schemas';
import { Alert, Button, Dialog, SelectField, TextField } from '../components';
import { NewBackupCodes } from '../features/signin/NewBackupCodes';
import { useSession } from '../stores/session';
import { useSettings, type SettingsChange } from '../stores/settings';

export function SettingsDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useTranslation('common');
  const settings = useSettings((state) => state.settings);
  const signedIn = useSession((state) => state.user !== null);
  const [failure, setFailure] = useState<string | null>(null);

  function save(change: SettingsChange) {
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
      {/* Keyed by the saved period: a new one from the desk (saved, or put back) starts the field afresh. */}
      <RetentionField
        key={settings?.retentionDays ?? RETENTION_DAYS.default}
        saved={settings?.retentionDays ?? RETENTION_DAYS.default}
        onSave={save}
      />
      {failure && <Alert tone="error">{failure}</Alert>}
      {signedIn && <NewBackupCodes />}
    </Dialog>
  );
}

/**
 * The retention period as a number typed in, saved when it is complete (Enter, or leaving the field) and
 * checked against the same range the desk enforces, so a typo is said here rather than refused there.
 */
function RetentionField({ saved, onSave }: { saved: number; onSave(change: SettingsChange): void }) {
  const { t } = useTranslation('common');
  const [draft, setDraft] = useState(String(saved));
  const [invalid, setInvalid] = useState(false);

  function commit(event?: FormEvent) {
    event?.preventDefault();
    const days = retentionDays.safeParse(draft.trim() === '' ? Number.NaN : Number(draft));
    setInvalid(!days.success);
    if (days.success && days.data !== saved) onSave({ retentionDays: days.data });
  }

  return (
    <form className="settings-retention" onSubmit={commit} noValidate>
      <TextField
        label={t('settings.retention')}
        hint={t('settings.retentionHint', { min: RETENTION_DAYS.min, max: RETENTION_DAYS.max })}
        type="number"
        inputMode="numeric"
        min={RETENTION_DAYS.min}
        max={RETENTION_DAYS.max}
        step={1}
        value={draft}
        aria-invalid={invalid}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={() => commit()}
      />
      {invalid && (
        <Alert tone="error">{t('settings.retentionInvalid', { min: RETENTION_DAYS.min, max: RETENTION_DAYS.max })}</Alert>
      )}
    </form>
  );
}
