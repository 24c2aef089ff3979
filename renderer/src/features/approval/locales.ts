// The supervisor's four-eyes strings (the proposed verdict, approve, send back, reassign) and the notice the
// agent sees of a supervisor's decision, in every language the app ships. A test fails when a key lacks a
// translation.
import type { APPROVAL_ERROR_CODES, ErrorTexts } from '../../i18n/errorCodes';

const en = {
  proposal: {
    title: 'Proposed verdict',
    proposedBy: 'Proposed by',
    outcome: 'Outcome',
    outcomes: {
      release: 'Release the escrow to the buyer',
      refund: 'Refund the escrow to the seller',
    },
    reason: 'Reason',
    rationale: 'The agent’s rationale',
    proposedAt: 'Proposed',
    value: 'Four-eyes value',
    valueText: '{{usd}} USD (threshold {{threshold}} USD)',
    approve: 'Approve',
    sendBack: 'Send back',
    ownProposal: 'You proposed this verdict: another supervisor must approve it.',
    pending: 'Your decision is on its way to the server…',
    freshCodeTitle: 'Your decision needs a fresh code.',
    freshCodeLabel: 'Fresh authentication code',
    freshCodeSend: 'Send again',
  },
  dialog: {
    approveTitle: 'Approve the verdict on case {{caseId}}',
    approveSummary: {
      release: '{{amount}} is released to the buyer, as {{name}} proposed. This cannot be undone.',
      refund: '{{amount}} is refunded to the seller, as {{name}} proposed. This cannot be undone.',
    },
    confirmApprove: 'Confirm approval',
    sendBackTitle: 'Send the proposal on case {{caseId}} back',
    sendBackSummary: 'Nothing moves: the case goes back to {{name}} in review, with your reason.',
    confirmSendBack: 'Confirm send back',
    reassignTitle: 'Reassign case {{caseId}}',
    reassignSummary: 'Another agent holds the case from now on; {{name}} no longer can act on it.',
    reassignSummaryUnassigned: 'The agent you choose holds the case from now on.',
    agent: 'Agent',
    chooseAgent: 'Choose an agent',
    agentOption_one: '{{name}} ({{count}} open case)',
    agentOption_other: '{{name}} ({{count}} open cases)',
    holder: '{{name}} (holds it now)',
    agentsLoading: 'Loading the agents…',
    agentsFailed: 'The agents could not be loaded: {{message}}',
    agentRequired: 'Choose the agent who is to hold the case.',
    confirmReassign: 'Confirm reassignment',
  },
  reassign: {
    label: 'Reassignment',
    heldBy: 'Held by {{name}}.',
    unassigned: 'No agent holds this case yet.',
    button: 'Reassign',
    pending: 'The reassignment is on its way to the server…',
  },
  notice: {
    approved: 'Approved by {{name}} on {{time}}.',
    sentBack: 'Sent back by {{name}}: {{reason}}',
    sentBackWhen: 'Sent back on {{time}}: the case is in review again, held by {{agent}}.',
  },
  errors: {
    case_already_resolved: 'The case was already decided and its escrow has moved. Nothing was changed.',
    no_proposed_verdict: 'This case has no verdict waiting for approval (another supervisor may have decided it).',
    issuer_may_not_approve:
      'Another supervisor must approve this verdict: you, or the supervisor who issued your sign-in, issued the sign-in of the agent who proposed it.',
    escrow_on_hold: 'Compliance has put this escrow on hold: the verdict cannot be carried out until the hold is lifted.',
    already_assigned: 'That agent already holds this case: choose another one.',
    verdict_in_outbox: 'Your decision on this proposal is already on its way.',
    invalid_totp: 'The authentication code was not valid. Enter a fresh code.',
    totp_replayed: 'That authentication code was already used. Wait for the next code and enter it.',
    storage_full:
      'The server could not save this: its storage is full, and nothing was kept. The code it checked is now spent: enter a fresh code to send it again.',
    storage_unavailable:
      'The server could not save this: its storage failed, and nothing was kept. The code it checked is now spent: enter a fresh code to send it again.',
    too_many_attempts: 'Too many wrong codes. Wait a few minutes and try again.',
    forbidden: 'Refused: a supervisor cannot approve a verdict they proposed, and only supervisors approve, send back or reassign.',
    not_found: 'The server does not know this case.',
    offline: 'The server cannot be reached. The desk keeps trying.',
    unauthenticated: 'Your session ended. This goes out when you sign in again.',
    signed_out: 'Sign in first.',
    unknown: '{{message}}',
  } satisfies ErrorTexts<typeof APPROVAL_ERROR_CODES>,
} as const;

type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

const es: Messages<typeof en> = {
  proposal: {
    title: 'Veredicto propuesto',
    proposedBy: 'Propuesto por',
    outcome: 'Resultado',
    outcomes: {
      release: 'Liberar la custodia al comprador',
      refund: 'Reembolsar la custodia al vendedor',
    },
    reason: 'Motivo',
    rationale: 'La justificación del agente',
    proposedAt: 'Propuesto',
    value: 'Valor para cuatro ojos',
    valueText: '{{usd}} USD (umbral {{threshold}} USD)',
    approve: 'Aprobar',
    sendBack: 'Devolver',
    ownProposal: 'Usted propuso este veredicto: otro supervisor debe aprobarlo.',
    pending: 'Su decisión va camino del servidor…',
    freshCodeTitle: 'Su decisión necesita un código nuevo.',
    freshCodeLabel: 'Código de autenticación nuevo',
    freshCodeSend: 'Enviar de nuevo',
  },
  dialog: {
    approveTitle: 'Aprobar el veredicto del caso {{caseId}}',
    approveSummary: {
      release: 'Se liberan {{amount}} al comprador, como propuso {{name}}. No se puede deshacer.',
      refund: 'Se reembolsan {{amount}} al vendedor, como propuso {{name}}. No se puede deshacer.',
    },
    confirmApprove: 'Confirmar aprobación',
    sendBackTitle: 'Devolver la propuesta del caso {{caseId}}',
    sendBackSummary: 'No se mueve nada: el caso vuelve a {{name}} en revisión, con su motivo.',
    confirmSendBack: 'Confirmar devolución',
    reassignTitle: 'Reasignar el caso {{caseId}}',
    reassignSummary: 'Otro agente lleva el caso a partir de ahora; {{name}} ya no puede actuar sobre él.',
    reassignSummaryUnassigned: 'El agente que elija lleva el caso a partir de ahora.',
    agent: 'Agente',
    chooseAgent: 'Elija un agente',
    agentOption_one: '{{name}} ({{count}} caso abierto)',
    agentOption_other: '{{name}} ({{count}} casos abiertos)',
    holder: '{{name}} (lo lleva ahora)',
    agentsLoading: 'Cargando los agentes…',
    agentsFailed: 'No se pudieron cargar los agentes: {{message}}',
    agentRequired: 'Elija el agente que llevará el caso.',
    confirmReassign: 'Confirmar reasignación',
  },
  reassign: {
    label: 'Reasignación',
    heldBy: 'Lo lleva {{name}}.',
    unassigned: 'Ningún agente lleva este caso todavía.',
    button: 'Reasignar',
    pending: 'La reasignación va camino del servidor…',
  },
  notice: {
    approved: 'Aprobado por {{name}} el {{time}}.',
    sentBack: 'Devuelto por {{name}}: {{reason}}',
    sentBackWhen: 'Devuelto el {{time}}: el caso vuelve a estar en revisión, asignado a {{agent}}.',
  },
  errors: {
    case_already_resolved: 'El caso ya estaba decidido y su custodia se ha movido. No se cambió nada.',
    no_proposed_verdict: 'Este caso no tiene un veredicto pendiente de aprobación (quizá otro supervisor lo decidió).',
    issuer_may_not_approve:
      'Otro supervisor debe aprobar este veredicto: usted, o el supervisor que emitió su acceso, emitió el acceso del agente que lo propuso.',
    escrow_on_hold: 'Cumplimiento ha bloqueado esta custodia: el veredicto no puede ejecutarse hasta que se levante el bloqueo.',
    already_assigned: 'Ese agente ya lleva este caso: elija otro.',
    verdict_in_outbox: 'Su decisión sobre esta propuesta ya va camino del servidor.',
    invalid_totp: 'El código de autenticación no era válido. Introduzca un código nuevo.',
    totp_replayed: 'Ese código de autenticación ya se usó. Espere al siguiente código e introdúzcalo.',
    storage_full:
      'El servidor no pudo guardarlo: su almacenamiento está lleno y no se guardó nada. El código que comprobó ya no sirve: introduzca un código nuevo para enviarlo otra vez.',
    storage_unavailable:
      'El servidor no pudo guardarlo: su almacenamiento falló y no se guardó nada. El código que comprobó ya no sirve: introduzca un código nuevo para enviarlo otra vez.',
    too_many_attempts: 'Demasiados códigos erróneos. Espere unos minutos y vuelva a intentarlo.',
    forbidden: 'Rechazado: un supervisor no puede aprobar un veredicto que propuso, y solo los supervisores aprueban, devuelven o reasignan.',
    not_found: 'El servidor no conoce este caso.',
    offline: 'No se puede contactar con el servidor. El escritorio sigue intentándolo.',
    unauthenticated: 'Su sesión terminó. Se envía cuando vuelva a iniciar sesión.',
    signed_out: 'Inicie sesión primero.',
    unknown: '{{message}}',
  },
};

export const approvalMessages = { en, es };
