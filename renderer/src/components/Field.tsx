import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import './components.css';

interface FieldFrameProps {
  label: string;
  hint?: ReactNode;
  children(id: string, hintId: string | undefined): ReactNode;
}

/** A visible label bound to its control, and an optional hint read out as its description. */
function FieldFrame({ label, hint, children }: FieldFrameProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {children(id, hintId)}
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}

export function TextField({ label, hint, ...input }: { label: string; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldFrame label={label} hint={hint}>
      {(id, hintId) => <input {...input} id={id} aria-describedby={hintId} className="input" />}
    </FieldFrame>
  );
}

export function SelectField({ label, hint, children, ...select }: { label: string; hint?: ReactNode } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <FieldFrame label={label} hint={hint}>
      {(id, hintId) => (
        <select {...select} id={id} aria-describedby={hintId} className="input select">
          {children}
        </select>
      )}
    </FieldFrame>
  );
}
