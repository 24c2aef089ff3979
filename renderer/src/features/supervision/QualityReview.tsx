// The week's verdict quality review: the sample the server drew for the week (each agent's verdicts), each
// with its facts, its rationale and either its scorecard or a form of four yes/no questions and a comment.
// Weeks are ISO weeks; "previous" and "next" move through them, never past the current one. The screen
// opens on the last week that has ended: the current one has no sample until it ends.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReviewItem } from '../../../../shared/api/types';
import { isoWeekOf, isoWeekRange } from '../../../../shared/domain/iso-week';
import { caseHref } from '../../app/router';
import { Alert, Badge, Button } from '../../components';
import { useDeskCommand, useDeskQuery } from '../../desk';
import { formattingLocale } from '../../i18n';
import { formatDateTime } from '../queue/format';
import { errorText } from './errorText';

const QUESTIONS = ['evidenceSufficient', 'reasonCodeRight', 'rationaleClear', 'payoutRight'] as const;
type Question = (typeof QUESTIONS)[number];
const WEEK_MS = 7 * 86_400_000;

function shiftWeek(week: string, weeks: number): string {
  const range = isoWeekRange(week);
  return range ? isoWeekOf(new Date(range.from.getTime() + weeks * WEEK_MS)) : week;
}

export function QualityReview() {
  const { t, i18n } = useTranslation('supervision');
  const locale = formattingLocale(i18n.language);
  // null: the server's last ended week (its clock decides what "this week" is).
  const [week, setWeek] = useState<string | null>(null);
  const sample = useDeskQuery('reviews.week', { week });
  const value = sample.state.phase === 'ready' ? sample.state.value : null;
  const current = isoWeekOf(new Date());
  const day = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const done = value?.items.filter((item) => item.status === 'done').length ?? 0;

  return (
    <section className="supervision__panel" aria-labelledby="review-title">
      <h2 id="review-title" className="supervision__heading">
        {t('review.title')}
      </h2>
      <p className="muted">{t('review.intro')}</p>
      {value && (
        <div className="supervision__week">
          <Button variant="quiet" onClick={() => setWeek(shiftWeek(value.week, -1))}>
            {t('review.previous')}
          </Button>
          <p className="supervision__week-name" aria-live="polite">
            {t('review.week', {
              week: value.week,
              from: day.format(new Date(value.from)),
              to: day.format(new Date(Date.parse(value.to) - 1)),
            })}
            {value.status === 'drawn' && (
              <>
                {' · '}
                {t('review.progress', { done, total: value.items.length })}
              </>
            )}
          </p>
          <Button variant="quiet" disabled={value.week >= current} onClick={() => setWeek(shiftWeek(value.week, 1))}>
            {t('review.next')}
          </Button>
        </div>
      )}
      {sample.state.phase === 'loading' && <p role="status">{t('review.loading')}</p>}
      {sample.state.phase === 'failed' && (
        <Alert tone="error">{t('review.loadFailed', { message: errorText(t, sample.state.error) })}</Alert>
      )}
      {value?.status === 'open' && (
        <p className="alerts__message">{t('review.open', { date: day.format(new Date(value.to)) })}</p>
      )}
      {value?.status === 'empty' && <p className="alerts__message">{t('review.empty')}</p>}
      {value && (
        <ul className="supervision__reviews">
          {value.items.map((item) => (
            <li key={item.id}>
              <ReviewCard item={item} locale={locale} onChanged={sample.refetch} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ReviewCard({ item, locale, onChanged }: { item: ReviewItem; locale: string; onChanged(): void }) {
  const { t } = useTranslation('supervision');
  const { t: reason } = useTranslation('case');
  const { verdict, scorecard } = item;
  const titleId = `review-${item.id}-title`;
  return (
    <article className="compliance-panel supervision__review" aria-labelledby={titleId} data-review-id={item.id} data-status={item.status}>
      <header className="supervision__review-head">
        <h3 id={titleId} className="compliance-panel__title">
          {t('review.itemTitle', { caseId: verdict.caseId, agent: verdict.agent.displayName })}
        </h3>
        <Badge tone={item.status === 'done' ? 'success' : 'warning'}>{t(`review.status.${item.status}`)}</Badge>
      </header>
      <p>
        {t('review.decided', {
          outcome: t(`outcome.${verdict.outcome}`),
          reason: reason(`reason.${verdict.reasonCode}`),
          at: formatDateTime(locale, verdict.decidedAt),
        })}{' '}
        <a className="alerts__link" href={caseHref(verdict.caseId)} aria-label={t('review.openCase', { caseId: verdict.caseId })}>
          {verdict.caseId}
        </a>
      </p>
      <figure className="supervision__rationale">
        <figcaption className="muted">{t('review.rationale')}</figcaption>
        <blockquote>{item.rationale}</blockquote>
      </figure>
      {scorecard ? (
        <p role="status">
          {t('review.reviewedBy', { name: scorecard.reviewer.displayName, at: formatDateTime(locale, scorecard.reviewedAt), score: scorecard.score })}
          {scorecard.comment ? ` “${scorecard.comment}”` : ''}
        </p>
      ) : item.canReview ? (
        <ScorecardForm item={item} onChanged={onChanged} />
      ) : (
        <p className="muted">{t('review.involved')}</p>
      )}
    </article>
  );
}

function ScorecardForm({ item, onChanged }: { item: ReviewItem; onChanged(): void }) {
  const { t } = useTranslation('supervision');
  const [answers, setAnswers] = useState<Partial<Record<Question, boolean>>>({});
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = useDeskCommand('reviews.submit', { onSuccess: onChanged });
  const commentId = `review-${item.id}-comment`;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (QUESTIONS.some((question) => answers[question] === undefined)) return setProblem(t('review.unanswered'));
    const anyNo = QUESTIONS.some((question) => answers[question] === false);
    if (anyNo && comment.trim() === '') return setProblem(t('review.commentNeeded'));
    setProblem(null);
    const answer = await submit.run({
      reviewId: item.id,
      evidenceSufficient: answers.evidenceSufficient!,
      reasonCodeRight: answers.reasonCodeRight!,
      rationaleClear: answers.rationaleClear!,
      payoutRight: answers.payoutRight!,
      comment: comment.trim() || null,
    });
    // Someone else scored it first: the list shows their scorecard.
    if (!answer.ok && answer.error.code === 'review_already_done') onChanged();
  }

  return (
    <form className="supervision__scorecard" aria-label={t('review.itemTitle', { caseId: item.verdict.caseId, agent: item.verdict.agent.displayName })} onSubmit={(event) => void onSubmit(event)} noValidate>
      {QUESTIONS.map((question) => (
        <fieldset key={question} className="supervision__question">
          <legend>{t(`review.questions.${question}`)}</legend>
          {([true, false] as const).map((yes) => (
            <label key={String(yes)} className="supervision__choice">
              <input
                type="radio"
                name={`${item.id}-${question}`}
                checked={answers[question] === yes}
                onChange={() => setAnswers((current) => ({ ...current, [question]: yes }))}
              />
              {yes ? t('review.yes') : t('review.no')}
            </label>
          ))}
        </fieldset>
      ))}
      <div className="field">
        <label className="field__label" htmlFor={commentId}>
          {t('review.comment')}
        </label>
        <textarea
          id={commentId}
          className="input textarea"
          rows={2}
          maxLength={2000}
          value={comment}
          aria-describedby={`${commentId}-hint`}
          onChange={(event) => setComment(event.target.value)}
        />
        <p className="field__hint" id={`${commentId}-hint`}>
          {t('review.commentHint')}
        </p>
      </div>
      {(problem ?? submit.error) && (
        <Alert tone="error">
          {problem ?? t('review.submitFailed', { message: errorText(t, submit.error!) })}
        </Alert>
      )}
      <div>
        <Button type="submit" variant="primary" busy={submit.pending}>
          {t('review.submit')}
        </Button>
      </div>
    </form>
  );
}
