// Payment method names as the user's language says them. Most are brand names and read the same in every
// language (Pago Móvil, Zelle, Nequi, Mercado Pago, PIX); the others have a translation in the common
// namespace. A name the app does not know (a new method on the platform) is shown as the server sent it.
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/** The known methods whose name is translated, by the key of their translation (common: paymentMethods.*). */
const TRANSLATED: Readonly<Record<string, string>> = { 'Bank transfer': 'bankTransfer' };

export type PaymentMethodName = (method: string) => string;

export function usePaymentMethodName(): PaymentMethodName {
  const { t } = useTranslation('common');
  return useCallback(
    (method: string) => {
      const key = TRANSLATED[method];
      return key === undefined ? method : t(`paymentMethods.${key}`);
    },
    [t],
  );
}
