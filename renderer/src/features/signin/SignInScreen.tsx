// Sign-in in steps: password, then the authentication code, or for a new user an invitation (its code and a
// password they choose), then enrolment with a QR code and the backup codes shown once. The shell appears
// only after the last step.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../../../shared/api/types';
import type { SignInStep } from '../../../../shared/desk-api/contract';
import { Alert } from '../../components';
import { useSession } from '../../stores/session';
import { BackupCodesStep } from './BackupCodesStep';
import { CodeStep } from './CodeStep';
import { EnrolmentIntro } from './EnrolmentIntro';
import { InvitationStep } from './InvitationStep';
import { PasswordStep } from './PasswordStep';
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

  function verified(user: Me, backupCodes: string[] | null) {
    if (backupCodes && backupCodes.length > 0) setStage({ step: 'backup', user, codes: backupCodes });
    else useSession.getState().signedIn(user);
  }

  return (
    <main className="signin">
      <div className={`signin__card${stage.step === 'backup' ? ' signin__card--wide' : ''}`}>
        <div className="signin__brand" aria-hidden="true">
          <svg viewBox="0 0 24 24" width="28" height="28">
            <rect x="1" y="1" width="22" height="22" rx="6" fill="currentColor" />
            <path d="M7 12.5l3.2 3.2L17 8.8" fill="none" stroke="var(--surface)" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <span>Dispute Desk</span>
        </div>
        {stage.step === 'password' && (
          <>
            <h1 className="signin__title">{t('title')}</h1>
            <p className="signin__subtitle">{t('subtitle')}</p>
            {endedBecause === 'expired' && <Alert tone="info">{t('expired')}</Alert>}
            {endedBecause === 'idle' && <Alert tone="info">{t('idle', { count: idleMinutes ?? 0 })}</Alert>}
            <PasswordStep
              onNext={(next) => setStage({ step: 'code', enrolment: next.next === 'enrollment' ? next : null })}
            />
            <button type="button" className="signin__switch" onClick={() => setStage({ step: 'invitation' })}>
              {t('haveInvitation')}
            </button>
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
