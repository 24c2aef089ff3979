// The few words main shows itself (notifications, the application menu), in the languages the renderer
// ships. Main cannot load the renderer's i18next bundles, so they are kept here; the language follows the
// user's setting like the renderer's does (DESIGN §6: Spanish when the system is, English otherwise).
import type { OutboxKind } from '../../shared/desk-api/schemas';
import type { Notice } from './attention';

export type ShellLanguage = 'en' | 'es';

export function shellLanguage(setting: 'system' | 'en' | 'es', systemLocale: string): ShellLanguage {
  if (setting !== 'system') return setting;
  return systemLocale.toLowerCase().startsWith('es') ? 'es' : 'en';
}

const TEXT = {
  en: {
    assignedTitle: 'Case assigned to you',
    assignedBody: (caseId: string) => `${caseId} is now yours to work.`,
    slaTitle: 'SLA about to run out',
    slaBody: (caseId: string, minutes: number) => `${caseId} is due in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`,
    codeTitle: 'A fresh code is needed',
    codeBody: {
      verdict: (caseId: string) => `Your verdict on ${caseId} needs a fresh authentication code.`,
      lift_hold: (caseId: string) => `Lifting the hold on ${caseId} needs a fresh authentication code.`,
      approve: (caseId: string) => `Your approval of ${caseId} needs a fresh authentication code.`,
      send_back: (caseId: string) => `Sending ${caseId} back needs a fresh authentication code.`,
    },
    codeBodyOther: (caseId: string) => `A command on ${caseId} needs a fresh authentication code.`,
    diagnosticsCopied: {
      title: 'Diagnostics copied',
      body: 'Paste them into your message to support. They hold no passwords, codes or case contents.',
    },
    menu: {
      file: 'File',
      edit: 'Edit',
      view: 'View',
      window: 'Window',
      help: 'Help',
      copyDiagnostics: 'Copy diagnostics',
    },
  },
  es: {
    assignedTitle: 'Caso asignado a ti',
    assignedBody: (caseId: string) => `${caseId} ahora está a tu cargo.`,
    slaTitle: 'El SLA está por vencer',
    slaBody: (caseId: string, minutes: number) => `${caseId} vence en ${minutes} ${minutes === 1 ? 'minuto' : 'minutos'}.`,
    codeTitle: 'Hace falta un código nuevo',
    codeBody: {
      verdict: (caseId: string) => `Tu veredicto sobre ${caseId} necesita un código de autenticación nuevo.`,
      lift_hold: (caseId: string) => `Levantar la retención de ${caseId} necesita un código de autenticación nuevo.`,
      approve: (caseId: string) => `Tu aprobación de ${caseId} necesita un código de autenticación nuevo.`,
      send_back: (caseId: string) => `Devolver ${caseId} necesita un código de autenticación nuevo.`,
    },
    codeBodyOther: (caseId: string) => `Una orden sobre ${caseId} necesita un código de autenticación nuevo.`,
    diagnosticsCopied: {
      title: 'Diagnóstico copiado',
      body: 'Pégalo en tu mensaje a soporte. No contiene contraseñas, códigos ni contenido de casos.',
    },
    menu: {
      file: 'Archivo',
      edit: 'Edición',
      view: 'Ver',
      window: 'Ventana',
      help: 'Ayuda',
      copyDiagnostics: 'Copiar diagnóstico',
    },
  },
} as const;

export type MenuLabels = (typeof TEXT)[ShellLanguage]['menu'];

export function menuLabels(language: ShellLanguage): MenuLabels {
  return TEXT[language].menu;
}

/** Help → Copy diagnostics: the confirmation once the text is on the clipboard. */
export function diagnosticsCopiedText(language: ShellLanguage): { title: string; body: string } {
  return TEXT[language].diagnosticsCopied;
}

export function noticeText(notice: Notice, language: ShellLanguage): { title: string; body: string } {
  const text = TEXT[language];
  switch (notice.kind) {
    case 'assigned':
      return { title: text.assignedTitle, body: text.assignedBody(notice.caseId) };
    case 'sla':
      return { title: text.slaTitle, body: text.slaBody(notice.caseId, notice.minutesLeft) };
    case 'code':
      return { title: text.codeTitle, body: codeBody(text, notice.outboxKind, notice.caseId) };
  }
}

function codeBody(text: (typeof TEXT)[ShellLanguage], kind: OutboxKind, caseId: string): string {
  return Object.hasOwn(text.codeBody, kind)
    ? text.codeBody[kind as keyof typeof text.codeBody](caseId)
    : text.codeBodyOther(caseId);
}
