// The first-run choice (and "Change server" from sign-in): "Try the demo" keeps the bundled server with its
// demo data; "Connect to my organisation" has the desk check an address with GET /v1/health before it is
// saved. The desk (and in Electron, main with its native confirmation) decides; this screen only asks.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServerCheck, ServerInfo } from '../../../../shared/desk-api/schemas';
import { Alert, Button, TextField } from '../../components';
import { askDesk, useDeskCommand, type DeskProblem } from '../../desk';
import { errorTextKey, FIRST_RUN_ERROR_CODES } from '../../i18n/errorCodes';
import { useServer } from '../../stores/server';
import { BrandMark } from '../signin/BrandMark';
import '../signin/signin.css';
import './firstrun.css';

export function FirstRunScreen({ info }: { info: ServerInfo }) {
  const { t } = useTranslation('firstrun');
  const [organisation, setOrganisation] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const demo = useDeskCommand('server.chooseDemo', { onSuccess: (next) => useServer.getState().set(next) });
  const demoChange = useDeskCommand('server.change', {
    onSuccess: (change) => setNotice(change.status === 'saved' ? t('organisation.savedDemo') : t('organisation.cancelled')),
  });

  function tryDemo() {
    setNotice(null);
    // The desk already talks to the bundled server: choosing it changes nothing but the record of the choice.
    if (info.kind === 'bundled') void demo.run();
    else void demoChange.run({ serverUrl: null });
  }

  const demoError = demo.error ?? demoChange.error;
  return (
    <main className="signin">
      <div className="signin__card firstrun">
        <BrandMark />
        <h1 className="signin__title">{info.chosen ? t('changeTitle') : t('title')}</h1>
        <p className="signin__subtitle">{t('intro')}</p>
        <div className="firstrun__choices">
          <section className="firstrun__choice" aria-labelledby="firstrun-demo">
            <h2 id="firstrun-demo" className="firstrun__choice-title">
              {t('demo.choose')}
            </h2>
            <p className="firstrun__choice-body">{t('demo.body')}</p>
            <Button variant="primary" onClick={tryDemo} busy={demo.pending || demoChange.pending}>
              {t('demo.choose')}
            </Button>
          </section>
          <section className="firstrun__choice" aria-labelledby="firstrun-organisation">
            <h2 id="firstrun-organisation" className="firstrun__choice-title">
              {t('organisation.choose')}
            </h2>
            <p className="firstrun__choice-body">{t('organisation.body')}</p>
            {!organisation && (
              <Button onClick={() => setOrganisation(true)}>
                {t('organisation.choose')}
              </Button>
            )}
            {organisation && <OrganisationForm onSaved={setNotice} />}
          </section>
        </div>
        {demoError && <Alert tone="error">{firstRunErrorText(demoError, t)}</Alert>}
        {notice && <Alert tone="success">{notice}</Alert>}
        {info.chosen && (
          <button type="button" className="signin__switch" onClick={() => useServer.getState().choose(false)}>
            {t('back')}
          </button>
        )}
      </div>
    </main>
  );
}

/** The address, checked by the desk first; "Use this server" saves only the address that was checked. */
function OrganisationForm({ onSaved }: { onSaved(notice: string): void }) {
  const { t } = useTranslation('firstrun');
  const [address, setAddress] = useState('');
  const [checked, setChecked] = useState<ServerCheck | null>(null);
  const check = useDeskCommand('server.check', { onSuccess: setChecked });
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<DeskProblem | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(null);
    setSaveError(null);
    void check.run({ serverUrl: address.trim() });
  }

  async function use(serverUrl: string) {
    setSaving(true);
    setSaveError(null);
    const answer = await askDesk('server.change', { serverUrl });
    setSaving(false);
    if (!answer.ok) return setSaveError(answer.error);
    if (answer.value.status === 'cancelled') return onSaved(t('organisation.cancelled'));
    // The screen stays, with the notice: the desk connects at its next start (Electron restarts by itself).
    onSaved(t('organisation.saved', { host: new URL(serverUrl).host }));
  }

  const error = check.error ?? saveError;
  return (
    <form className="firstrun__form" onSubmit={submit} noValidate>
      <TextField
        label={t('organisation.address')}
        hint={t('organisation.addressHint')}
        name="server"
        type="url"
        inputMode="url"
        autoComplete="url"
        autoCapitalize="none"
        spellCheck={false}
        autoFocus
        value={address}
        onChange={(event) => {
          setAddress(event.target.value);
          setChecked(null);
        }}
      />
      <Button type="submit" busy={check.pending} disabled={!address.trim()}>
        {t('organisation.check')}
      </Button>
      {error && <Alert tone="error">{firstRunErrorText(error, t)}</Alert>}
      {checked && (
        <>
          <Alert tone="success">{t('organisation.found', { host: new URL(checked.serverUrl).host, version: checked.version })}</Alert>
          <Button variant="primary" busy={saving} onClick={() => void use(checked.serverUrl)}>
            {t('organisation.use')}
          </Button>
        </>
      )}
    </form>
  );
}

function firstRunErrorText({ code, message }: DeskProblem, t: ReturnType<typeof useTranslation<'firstrun'>>['t']): string {
  const key = errorTextKey(FIRST_RUN_ERROR_CODES, code);
  if (key === 'unknown') return t('errors.unknown', { message });
  return t(`errors.${key}`);
}
