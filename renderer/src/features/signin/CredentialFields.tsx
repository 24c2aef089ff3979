// The two fields both ways in begin with: who you are (a username, or the code of an invitation) and a
// password. The first is taken exactly as typed, so it is neither capitalised nor spell-checked, and it
// has the focus when the step opens.
import { TextField } from '../../components';

interface FieldProps {
  label: string;
  name: string;
  autoComplete: string;
  value: string;
  onChange(value: string): void;
}

interface PasswordFieldProps extends FieldProps {
  autoComplete: 'current-password' | 'new-password';
  hint?: string;
  minLength?: number;
}

export function CredentialFields({ identifier, password }: { identifier: FieldProps; password: PasswordFieldProps }) {
  return (
    <>
      <TextField
        label={identifier.label}
        name={identifier.name}
        autoComplete={identifier.autoComplete}
        autoCapitalize="none"
        spellCheck={false}
        required
        autoFocus
        value={identifier.value}
        onChange={(event) => identifier.onChange(event.target.value)}
      />
      <TextField
        label={password.label}
        hint={password.hint}
        name={password.name}
        type="password"
        autoComplete={password.autoComplete}
        required
        minLength={password.minLength}
        value={password.value}
        onChange={(event) => password.onChange(event.target.value)}
      />
    </>
  );
}
