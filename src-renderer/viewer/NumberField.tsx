// A numeric input that edits like text: "-", "-5", "" are allowed while typing; a value is applied only when the
// text is a valid number in range, and invalid text is shown as such (red, with the reason) instead of being
// replaced by a clamped number. The store's value comes back into the box whenever it changes elsewhere.
import { useEffect, useState } from 'react';
import { parseNumberInput } from './numberInput';

interface Props {
  value: number;
  onValue(v: number): void;
  min?: number;
  max?: number;
  testId: string;
  label: string;
}

export function NumberField({ value, onValue, min, max, testId, label }: Props) {
  const [text, setText] = useState(String(value));
  const parsed = parseNumberInput(text, min, max);
  // Follow the store (presets, right-drag) unless the box already says the same number.
  useEffect(() => setText((t) => (Number(t) === value && t.trim() !== '' ? t : String(value))), [value]);
  const error = 'error' in parsed ? parsed.error : null;
  return (
    <input
      type="text"
      inputMode="numeric"
      className={`num${error ? ' invalid' : ''}`}
      aria-label={label}
      aria-invalid={!!error}
      title={error ? `${label}: ${error} (not applied)` : label}
      data-testid={testId}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const p = parseNumberInput(e.target.value, min, max);
        if ('value' in p) onValue(p.value);
      }}
      onBlur={() => error && setText(String(value))}
      onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
    />
  );
}
