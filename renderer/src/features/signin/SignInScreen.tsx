// Sign-in in steps: password, then the authentication code, or for a new user an invitation (its code and a
// password they choose), then enrolment with a QR code and the backup codes shown once. The shell appears
// only after the last step. The first step names the server the password goes to, and on the bundled demo
// server lists the demo accounts.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../../../shared/api/types';
import type { SignInStep } from '../../../../shared/desk-api/contract';
import { Alert } from '../../components';
import { useServer } from '../../stores/server';
import { useSession } from '../../stores/session';
import { BackupCodesStep } from './BackupCodesStep';
import { BrandMark } from './BrandMark';
import { CodeStep } from './CodeStep';
import { EnrolmentIntro } from './EnrolmentIntro';
import { InvitationStep } from './InvitationStep';
import { PasswordStep } from './PasswordStep';
import { DemoAccounts, ServerLine } from './ServerLine';
import './signin.css';

type Stage =
  | { step: 'password' }
  | { step: 'invitation' }
  | { step: 'code'; enrolment: Extract<SignInStep, { next: 'enrollment' }> | null }
  | { step: 'backup'; user: Me; codes: string[] };

export function SignInScreen() {
  const { t } = useTranslation('signin');
  const endedBecause = useSession((state) => state.endedBecause);
  const idleMinutes = useSession((state) => state.idleMinutes);
  const [stage, setStage] = useState<Stage>({ step: 'password' });
  const server = useServer((state) => state.info);

  function verified(user: Me, backupCodes: string[] | null) {
    if (backupCodes && backupCodes.length > 0) setStage({ step: 'backup', user, codes: backupCodes });
    else useSession.getState().signedIn(user);
  }

  return (
    <main className="signin">
      <div className={`signin__card${stage.step === 'backup' ? ' signin__card--wide' : ''}`}>
        <BrandMark />
        {stage.step === 'password' && (
          <>
            <h1 className="signin__title">{t('title')}</h1>
            <p className="signin__subtitle">{t('subtitle')}</p>
            {server && <ServerLine info={server} />}
            {endedBecause === 'expired' && <Alert tone="info">{t('expired')}</Alert>}
            {endedBecause === 'idle' && <Alert tone="info">{t('idle', { count: idleMinutes ?? 0 })}</Alert>}
            <PasswordStep
              onNext={(next) => setStage({ step: 'code', enrolment: next.next === 'enrollment' ? next : null })}
            />
            <button type="button" className="signin__switch" onClick={() => setStage({ step: 'invitation' })}>
              {t('haveInvitation')}
            </button>
            {server?.kind === 'bundled' && <DemoAccounts />}
          </>
        )}
        {stage.step === 'invitation' && (
          <>
            <h1 className="signin__title">{t('invitation.title')}</h1>
            <p className="signin__subtitle">{t('invitation.intro')}</p>
            <InvitationStep
              onNext={(next) => setStage({ step: 'code', enrolment: next.next === 'enrollment' ? next : null })}
              onBack={() => setStage({ step: 'password' })}
            />
          </>
        )}
        {stage.step === 'code' && (
          <>
            {stage.enrolment ? (
              <EnrolmentIntro otpauthUrl={stage.enrolment.otpauthUrl} secret={stage.enrolment.secret} />
            ) : (
              <>
                <h1 className="signin__title">{t('codeTitle')}</h1>
                <p className="signin__subtitle">{t('codeIntro')}</p>
              </>
            )}
            <CodeStep onVerified={verified} onStartOver={() => setStage({ step: 'password' })} />
          </>
        )}
        {stage.step === 'backup' && (
          <BackupCodesStep codes={stage.codes} onDone={() => useSession.getState().signedIn(stage.user)} />
        )}
      </div>
    </main>
  );
}
