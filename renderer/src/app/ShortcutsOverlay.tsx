// The "?" overlay: every keyboard shortcut, grouped by where it works, in a modal dialog.
import { useTranslation } from 'react-i18next';
import { Dialog } from '../components';
import { SHORTCUT_KEYS } from './shortcuts';

const GROUPS = ['anywhere', 'queue', 'case'] as const;

export function ShortcutsOverlay({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useTranslation('common');
  return (
    <Dialog open={open} title={t('shortcuts.title')} onClose={onClose} className="shortcuts">
      <p className="shortcuts__intro">{t('shortcuts.intro')}</p>
      {GROUPS.map((group) => (
        <section key={group} aria-labelledby={`shortcuts-${group}`}>
          <h3 id={`shortcuts-${group}`} className="shortcuts__group">
            {t(`shortcuts.where.${group}`)}
          </h3>
          <dl className="shortcuts__list">
            {SHORTCUT_KEYS.filter((shortcut) => shortcut.where === group).map((shortcut) => (
              <div key={shortcut.id} className="shortcuts__item">
                <dt>
                  {shortcut.keys.map((key, index) => (
                    <span key={key}>
                      {index > 0 && <span className="shortcuts__or"> {t('shortcuts.or')} </span>}
                      <kbd>{key}</kbd>
                    </span>
                  ))}
                </dt>
                <dd>{t(`shortcuts.action.${shortcut.id}`)}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </Dialog>
  );
}
