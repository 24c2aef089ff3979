// The audit chain status's strings (issue #9) in every language the app ships. A test fails when a key lacks
// a translation. "Audit chain verified" is a contract (DESIGN §6).
import type { AUDIT_ERROR_CODES, ErrorTexts } from '../../i18n/errorCodes';

const en = {
  screenTitle: 'Audit',
  title: 'Audit chain',
  intro: 'This desk downloads the audit log, recomputes every entry’s hash itself and checks the result against the server’s signed checkpoint.',
  loading: 'Loading the audit chain status…',
  loadFailed: 'The audit chain status could not be read: {{message}}',
  verified: 'Audit chain verified',
  upTo: 'up to entry #{{seq}}',
  emptyLog: 'The audit log is still empty: there is nothing to verify yet.',
  checkpointAt: 'Signed checkpoint of {{time}}',
  checkedAt: 'Checked {{time}}',
  checking: 'Checking the audit chain…',
  unchecked: 'The audit chain has not been checked on this desk yet.',
  lastVerified: 'Last verified up to entry #{{seq}}.',
  failedTitle: 'Audit chain check failed',
  failedAdvice: 'Do not rely on the audit log until this is explained. Tell your security team.',
  unavailableTitle: 'The audit chain could not be checked',
  unavailable: 'The check could not run: {{detail}}',
  reason: {
    entry_changed: 'Entry #{{seq}} has changed since this desk verified it.',
    chain_broken: 'The chain is broken at entry #{{seq}}: the entry does not match its hash or does not follow the entry before it.',
    checkpoint_mismatch:
      'From entry #{{seq}} on, the log no longer matches the server’s signed checkpoint #{{checkpointSeq}}: entries were changed after they were signed.',
    truncated: 'The log ends before entry #{{seq}}, below signed checkpoint #{{checkpointSeq}}: entries were removed.',
    truncated_unsigned: 'The log ends before entry #{{seq}}, which this desk had verified: entries were removed.',
    checkpoint_rollback:
      'The server’s newest checkpoint is older than checkpoint #{{checkpointSeq}}, which this desk has seen: entries from #{{seq}} on are no longer vouched for.',
    signature_invalid: 'Checkpoint #{{seq}} does not carry a valid signature.',
    key_changed: 'The server now signs its checkpoints (#{{seq}}) with a different key from the one this desk trusts.',
    unreachable: 'The server could not be reached.',
  },
  fingerprint: 'Server key fingerprint',
  noFingerprint: 'No key pinned yet',
  newFingerprint: 'New key fingerprint',
  checkAgain: 'Check again',
  trust: {
    title: 'Trust the new key?',
    explain:
      'Only if whoever runs the server confirms that its signing key was replaced. Compare the new fingerprint with the one they give you over another channel, then type its first 16 characters.',
    label: 'First 16 characters of the new fingerprint',
    hint: 'Spaces do not matter.',
    confirm: 'Trust the new key',
    tooShort: 'Type at least the first 16 characters of the new fingerprint.',
    trusted: 'The new key is trusted now.',
  },
  errors: {
    fingerprint_mismatch: 'That is not the start of the new key’s fingerprint. Nothing was changed.',
    no_key_change: 'The server signs with the key this desk trusts: there is no new key to trust.',
    invalid_request: 'Type at least the first 16 characters of the new fingerprint.',
    forbidden: 'Only supervisors can check the audit chain.',
    offline: 'The server cannot be reached. Try again when the desk is back online.',
    signed_out: 'Sign in first.',
    unknown: '{{message}}',
  } satisfies ErrorTexts<typeof AUDIT_ERROR_CODES>,
};

type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

const es: Messages<typeof en> = {
  screenTitle: 'Auditoría',
  title: 'Cadena de auditoría',
  intro: 'Este escritorio descarga el registro de auditoría, recalcula por sí mismo el hash de cada entrada y compara el resultado con el punto de control firmado por el servidor.',
  loading: 'Cargando el estado de la cadena de auditoría…',
  loadFailed: 'No se pudo leer el estado de la cadena de auditoría: {{message}}',
  verified: 'Cadena de auditoría verificada',
  upTo: 'hasta la entrada n.º {{seq}}',
  emptyLog: 'El registro de auditoría aún está vacío: todavía no hay nada que verificar.',
  checkpointAt: 'Punto de control firmado el {{time}}',
  checkedAt: 'Comprobada el {{time}}',
  checking: 'Comprobando la cadena de auditoría…',
  unchecked: 'La cadena de auditoría aún no se ha comprobado en este escritorio.',
  lastVerified: 'Última verificación hasta la entrada n.º {{seq}}.',
  failedTitle: 'La comprobación de la cadena de auditoría falló',
  failedAdvice: 'No confíe en el registro de auditoría hasta que esto se aclare. Avise a su equipo de seguridad.',
  unavailableTitle: 'No se pudo comprobar la cadena de auditoría',
  unavailable: 'La comprobación no pudo hacerse: {{detail}}',
  reason: {
    entry_changed: 'La entrada n.º {{seq}} cambió desde que este escritorio la verificó.',
    chain_broken: 'La cadena está rota en la entrada n.º {{seq}}: la entrada no coincide con su hash o no sigue a la anterior.',
    checkpoint_mismatch:
      'Desde la entrada n.º {{seq}}, el registro ya no coincide con el punto de control firmado n.º {{checkpointSeq}} del servidor: se cambiaron entradas después de firmarlas.',
    truncated: 'El registro termina antes de la entrada n.º {{seq}}, por debajo del punto de control firmado n.º {{checkpointSeq}}: se eliminaron entradas.',
    truncated_unsigned: 'El registro termina antes de la entrada n.º {{seq}}, que este escritorio había verificado: se eliminaron entradas.',
    checkpoint_rollback:
      'El punto de control más reciente del servidor es anterior al n.º {{checkpointSeq}}, que este escritorio ya vio: las entradas desde la n.º {{seq}} ya no están respaldadas.',
    signature_invalid: 'El punto de control n.º {{seq}} no lleva una firma válida.',
    key_changed: 'El servidor firma ahora sus puntos de control (n.º {{seq}}) con una clave distinta de la que este escritorio confía.',
    unreachable: 'No se pudo contactar con el servidor.',
  },
  fingerprint: 'Huella de la clave del servidor',
  noFingerprint: 'Aún no hay ninguna clave fijada',
  newFingerprint: 'Huella de la clave nueva',
  checkAgain: 'Comprobar de nuevo',
  trust: {
    title: '¿Confiar en la clave nueva?',
    explain:
      'Solo si quien administra el servidor confirma que su clave de firma se reemplazó. Compare la huella nueva con la que le den por otro canal y escriba sus 16 primeros caracteres.',
    label: 'Primeros 16 caracteres de la huella nueva',
    hint: 'Los espacios no importan.',
    confirm: 'Confiar en la clave nueva',
    tooShort: 'Escriba al menos los 16 primeros caracteres de la huella nueva.',
    trusted: 'La clave nueva ya es de confianza.',
  },
  errors: {
    fingerprint_mismatch: 'Eso no es el comienzo de la huella de la clave nueva. No se cambió nada.',
    no_key_change: 'El servidor firma con la clave en la que este escritorio confía: no hay ninguna clave nueva.',
    invalid_request: 'Escriba al menos los 16 primeros caracteres de la huella nueva.',
    forbidden: 'Solo los supervisores pueden comprobar la cadena de auditoría.',
    offline: 'No se puede conectar con el servidor. Vuelva a intentarlo cuando el escritorio tenga conexión.',
    signed_out: 'Inicie sesión primero.',
    unknown: '{{message}}',
  },
};

export const auditMessages = { en, es };
