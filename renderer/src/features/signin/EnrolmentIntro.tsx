// First sign-in: the QR code for the authenticator app and the same secret in text, for typing by hand.
import { toString as qrSvg } from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** The QR code as an SVG data URL: an <img> the CSP allows (img-src data:), no canvas, no inline markup. */
function useQrDataUrl(text: string): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    void qrSvg(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M', color: { dark: '#111827', light: '#ffffff' } }).then((svg) => {
      if (current) setUrl(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
    return () => {
      current = false;
    };
  }, [text]);
  return url;
}

export function EnrolmentIntro({ otpauthUrl, secret }: { otpauthUrl: string; secret: string }) {
  const { t } = useTranslation('signin');
  const qr = useQrDataUrl(otpauthUrl);
  return (
    <section className="enrol" aria-labelledby="enrol-title">
      <h1 id="enrol-title" className="signin__title">
        {t('enrol.title')}
      </h1>
      <p className="signin__subtitle">{t('enrol.intro')}</p>
      <div className="enrol__qr">{qr ? <img src={qr} alt={t('enrol.qrAlt')} width={184} height={184} /> : <span className="spinner" aria-hidden="true" />}</div>
      <p className="enrol__secret-label" id="enrol-secret-label">
        {t('enrol.secretLabel')}
      </p>
      <code className="enrol__secret" aria-labelledby="enrol-secret-label" data-testid="totp-secret">
        {secret}
      </code>
    </section>
  );
}
