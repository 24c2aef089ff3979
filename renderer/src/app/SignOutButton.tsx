// "Sign out" deletes the user's drafts from this computer with the rest of their data (the desk's
// storage/purge.ts); commands still on their way stay and go out after the next sign-in. Work the user
// has not sent should not vanish without a word: with drafts, the button asks first and says how many.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Dialog } from '../components';
import { askDesk } from '../desk/client';
import { useSession } from '../stores/session';

const signOut = () => void useSession.getState().signOut();

export function SignOutButton() {
  const { t } = useTranslation('common');
  const [drafts, setDrafts] = useState(0);

  async function askFirst() {
    const answer = await askDesk('drafts.count');
    // No count (the session already ended, the desk is gone): signing out is still what the user asked.
    if (!answer.ok || answer.value.count === 0) return signOut();
    setDrafts(answer.value.count);
  }

  return (
    <>
      <Button variant="secondary" onClick={() => void askFirst()}>
        {t('shell.signOut')}
      </Button>
      <Dialog
        open={drafts > 0}
        title={t('shell.signOutTitle')}
        onClose={() => setDrafts(0)}
        actions={
          <>
            <Button variant="secondary" onClick={() => setDrafts(0)}>
              {t('cancel')}
            </Button>
            <Button
              variant="danger"
              onClick={() => {
                setDrafts(0);
                signOut();
              }}
            >
              {t('shell.signOutAndDelete')}
            </Button>
          </>
        }
      >
        <p>{t('shell.signOutDrafts', { count: drafts })}</p>
      </Dialog>
    </>
  );
}
