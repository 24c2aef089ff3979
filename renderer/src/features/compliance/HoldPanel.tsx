// A case's escrow hold for the compliance reviewer: whether it stands, who placed it and why, and the
// "Place hold" / "Lift hold" buttons (each asks for a reason; lifting also for a fresh authentication code,
// like a verdict). A lift whose code went stale before the server took it asks for a fresh one here and
// goes again under its original key ('case.liftHoldCode'). Shown in the alert detail and, for compliance,
// in the case workspace.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../../../shared/api/types';
import type { OutboxEntry } from '../../../../shared/desk-api/schemas';
import { Button } from '../../components';
import { FreshCodeForm } from '../case/FreshCodeForm';
import { useCaseFormatters } from '../case/format';
import { errorText } from './errorText';
import { ReasonDialog } from './ReasonDialog';
import { useOutboxAction } from './useOutboxAction';

const HOLD_KINDS: ReadonlySet<OutboxEntry['kind']> = new Set(['hold', 'lift_hold']);

/** The reviewer's latest hold command on the case, while the screen should still speak about it. */
function latestHoldCommand(outbox: OutboxEntry[]): OutboxEntry | null {
  const latest = outbox
    .filter((entry) => HOLD_KINDS.has(entry.kind))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  return latest && latest.state !== 'confirmed' ? latest : null;
}

export function HoldPanel({ detail, outbox, onCommandSent }: { detail: CaseDetail; outbox: OutboxEntry[]; onCommandSent(): void }) {
  const { t } = useTranslation('compliance');
  const { t: caseText } = useTranslation('case');
  const format = useCaseFormatters();
  const [dialog, setDialog] = useState<'place' | 'lift' | null>(null);
  const close = () => setDialog(null);
  const taken = () => {
    close();
    onCommandSent();
  };
  const place = useOutboxAction('case.placeHold', taken);
  const lift = useOutboxAction('case.liftHold', taken);
  const hold = detail.escrow.hold;
  const moved = detail.escrow.state !== 'held';
  const latest = latestHoldCommand(outbox);
  const inFlight = latest !== null && latest.state !== 'failed';

  return (
    <section className="compliance-panel hold-panel" aria-labelledby={`hold-title-${detail.id}`}>
      <h2 id={`hold-title-${detail.id}`} className="compliance-panel__title">
        {t('hold.title')}
      </h2>
      <p className={hold ? 'case-alert case-alert--warning' : 'case-muted'}>
        {moved
          ? t('hold.moved', { state: caseText(`escrowState.${detail.escrow.state}`) })
          : hold
            ? t('hold.held', { time: format.dateTime(hold.at), name: hold.by.displayName, reason: hold.reason })
            : t('hold.none')}
      </p>
      <div className="compliance-panel__buttons">
        {!hold && (
          <Button
            variant="primary"
            disabled={moved || inFlight}
            onClick={() => {
              place.reset();
              setDialog('place');
            }}
          >
            {t('hold.place')}
          </Button>
        )}
        {hold && (
          <Button
            variant="primary"
            disabled={inFlight}
            onClick={() => {
              lift.reset();
              setDialog('lift');
            }}
          >
            {t('hold.lift')}
          </Button>
        )}
      </div>
      <div role="status">
        {latest?.state === 'pending' && <p className="case-pending">{t('hold.pending')}</p>}
        {latest?.state === 'failed' && latest.error && <p className="case-alert case-alert--error">{errorText(t, latest.error)}</p>}
      </div>
      {latest?.state === 'needs_code' && <LiftCodeForm entry={latest} />}
      {dialog === 'place' && (
        <ReasonDialog
          title={t('dialog.placeHoldTitle', { caseId: detail.id })}
          summary={t('dialog.placeHoldSummary')}
          confirmLabel={t('dialog.confirmPlaceHold')}
          pending={place.pending}
          error={place.error}
          onConfirm={({ reason }) => void place.send({ caseId: detail.id, reason })}
          onClose={close}
        />
      )}
      {dialog === 'lift' && (
        <ReasonDialog
          title={t('dialog.liftHoldTitle', { caseId: detail.id })}
          summary={t('dialog.liftHoldSummary')}
          confirmLabel={t('dialog.confirmLiftHold')}
          withCode
          pending={lift.pending}
          error={lift.error}
          onConfirm={({ reason, totp }) => void lift.send({ caseId: detail.id, reason, totp: totp ?? '' })}
          onClose={close}
        />
      )}
    </section>
  );
}

function LiftCodeForm({ entry }: { entry: OutboxEntry }) {
  const { t } = useTranslation('compliance');
  const text = {
    title: t('hold.freshCodeTitle'),
    label: t('hold.freshCodeLabel'),
    send: t('hold.freshCodeSend'),
    error: (error: Parameters<typeof errorText>[1]) => errorText(t, error),
  };
  return <FreshCodeForm entry={entry} channel="case.liftHoldCode" text={text} />;
}
