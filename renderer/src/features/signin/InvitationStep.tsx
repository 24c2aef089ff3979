// Enrolment by invitation (issue #11): the code a supervisor handed over and the password the new user
// chooses. The server answers with this attempt's own secret, shown next as a QR code; a password alone
// never gets that far.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MIN_PASSWORD_LENGTH } from '../../../../shared/api/requests';
import type { SignInStep } from '../../../../shared/desk-api/contract';
import { Alert, Button, TextField } from '../../components';
import { useDeskCommand } from '../../desk';
import { CredentialFields } from './CredentialFields';
import { signInErrorText } from './signInError';

export function InvitationStep({ onNext, onBack }: { onNext(step: SignInStep): void; onBack(): void }) {
  const { t } = useTranslation('signin');
  const [token, setToken] = useState('');
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const redeem = useDeskCommand('session.redeemInvitation', { onSuccess: onNext });
  const mismatch = repeated !== '' && repeated !== password;
  const ready = token.trim() !== '' && password.length >= MIN_PASSWORD_LENGTH && repeated === password;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (ready) void redeem.run({ token: token.trim(), password });
  }

  return (
    <form className="signin__form" onSubmit={submit} noValidate>
      <CredentialFields
        identifier={{ label: t('invitation.token'), name: 'invitation', autoComplete: 'off', value: token, onChange: setToken }}
        password={{
          label: t('invitation.newPassword'),
          hint: t('invitation.newPasswordHint', { count: MIN_PASSWORD_LENGTH }),
          name: 'new-password',
          autoComplete: 'new-password',
          minLength: MIN_PASSWORD_LENGTH,
          value: password,
          onChange: setPassword,
        }}
      />
      <TextField
        label={t('invitation.repeatPassword')}
        name="repeat-password"
        type="password"
        autoComplete="new-password"
        required
        aria-invalid={mismatch}
        value={repeated}
        onChange={(event) => setRepeated(event.target.value)}
      />
      {mismatch && <Alert tone="info">{t('invitation.mismatch')}</Alert>}
      {redeem.error && <Alert tone="error">{signInErrorText(redeem.error, t)}</Alert>}
      <Button type="submit" variant="primary" busy={redeem.pending} disabled={!ready}>
        {t('invitation.submit')}
      </Button>
      <Button type="button" variant="quiet" onClick={onBack}>
        {t('invitation.back')}
      </Button>
    </form>
  );
}
