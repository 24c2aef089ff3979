// The per-agent figures: cases resolved, median time to resolve, releases and refunds with the share of
// releases, proposals sent back, and what the quality reviews found. One row per agent, by name.
import { useTranslation } from 'react-i18next';
import type { AgentFigures } from '../../../../shared/api/types';
import { formattingLocale } from '../../i18n';
import { formatCount, formatDuration } from '../queue/format';

export function AgentFiguresTable({ rows }: { rows: AgentFigures[] }) {
  const { t, i18n } = useTranslation('supervision');
  const locale = formattingLocale(i18n.language);
  const count = (value: number) => formatCount(locale, value);
  const none = t('figures.none');
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const score = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const columns = ['agent', 'resolved', 'median', 'releases', 'refunds', 'releaseShare', 'sentBack', 'reviews', 'overturned', 'score'];

  return (
    <table className="compliance-table supervision__figures" aria-label={t('figures.tableLabel')}>
      <thead>
        <tr>
          {columns.map((name) => (
            <th key={name} scope="col">
              {t(`figures.columns.${name}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.agent.id} data-agent={row.agent.username}>
            <th scope="row">{row.agent.displayName}</th>
            <td className="num">{count(row.resolved)}</td>
            <td className="num">
              {row.medianTimeToResolveSeconds === null ? none : formatDuration(row.medianTimeToResolveSeconds * 1000)}
            </td>
            <td className="num">{count(row.releases)}</td>
            <td className="num">{count(row.refunds)}</td>
            <td className="num">{row.releaseShare === null ? none : percent.format(row.releaseShare)}</td>
            <td className="num">{count(row.sentBack)}</td>
            <td className="num" data-figure="reviews">
              {count(row.reviewsDone)}
            </td>
            <td className="num">{count(row.overturned)}</td>
            <td className="num">
              {row.averageReviewScore === null ? none : t('figures.score', { score: score.format(row.averageReviewScore) })}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
