// Which server this sign-in goes to (its host name, or "demo" for the bundled one), with the way back to
// the choice where the page may change it; and, for the bundled demo server only, its published accounts.
import { useTranslation } from 'react-i18next';
import { DEMO_ACCOUNTS, DEMO_INVITATION_TOKEN } from '../../../../shared/domain/demo-accounts';
import type { ServerInfo } from '../../../../shared/desk-api/schemas';
import { useServer } from '../../stores/server';

export function ServerLine({ info }: { info: ServerInfo }) {
  const { t } = useTranslation('firstrun');
  const pendingHost = info.pendingServerUrl ? new URL(info.pendingServerUrl).host : null;
  return (
    <div className="signin__server">
      <p className="signin__server-line">
        <span className="signin__server-label">{t('server.label')}:</span>{' '}
        <strong translate="no">{info.kind === 'bundled' ? t('server.demo') : info.host}</strong>
        {info.changeFromPage && (
          <>
            {' · '}
            <button type="button" className="signin__switch signin__switch--inline" onClick={() => useServer.getState().choose(true)}>
              {t('server.change')}
            </button>
          </>
        )}
      </p>
      {!info.changeFromPage && <p className="signin__server-note">{t('server.fixed')}</p>}
      {pendingHost && <p className="signin__server-note">{t('server.pending', { host: pendingHost })}</p>}
    </div>
  );
}

/** The published demo accounts (DESIGN §4), shown only while the desk talks to the bundled demo server. */
export function DemoAccounts() {
  const { t } = useTranslation('firstrun');
  const { t: common } = useTranslation('common');
  return (
    <section className="demo-accounts" aria-labelledby="demo-accounts-title">
      <h2 id="demo-accounts-title" className="demo-accounts__title">
        {t('demoAccounts.title')}
      </h2>
      <table className="demo-accounts__table" aria-labelledby="demo-accounts-title">
        <thead>
          <tr>
            <th scope="col">{t('demoAccounts.username')}</th>
            <th scope="col">{t('demoAccounts.role')}</th>
            <th scope="col">{t('demoAccounts.password')}</th>
          </tr>
        </thead>
        <tbody>
          {DEMO_ACCOUNTS.map((account) => (
            <tr key={account.username}>
              <th scope="row" translate="no">
                {account.username}
              </th>
              <td>{common(`role.${account.role}`)}</td>
              <td translate="no">
                {account.password === null ? (
                  t('demoAccounts.invitation', { token: DEMO_INVITATION_TOKEN })
                ) : (
                  <code>{account.password}</code>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="demo-accounts__note">{t('demoAccounts.codes')}</p>
    </section>
  );
}
