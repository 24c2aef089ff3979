// The product's mark and name at the top of the sign-in and first-run cards.
export function BrandMark() {
  return (
    <div className="signin__brand" aria-hidden="true">
      <svg viewBox="0 0 24 24" width="28" height="28">
        <rect x="1" y="1" width="22" height="22" rx="6" fill="currentColor" />
        <path d="M7 12.5l3.2 3.2L17 8.8" fill="none" stroke="var(--surface)" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <span>Dispute Desk</span>
    </div>
  );
}
