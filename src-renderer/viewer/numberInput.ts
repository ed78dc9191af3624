// The numeric input rule of the viewer's boxes: a whole number or decimal, optionally negative, within range;
// anything else ("", "-", "12a") is an error to show, never a number to apply.
export function parseNumberInput(text: string, min = -Infinity, max = Infinity): { value: number } | { error: string } {
  const t = text.trim();
  if (!/^-?\d+(\.\d+)?$/.test(t)) return { error: t === '' || t === '-' ? 'enter a number' : `"${t}" is not a number` };
  const v = Number(t);
  if (v < min) return { error: `at least ${min}` };
  if (v > max) return { error: `at most ${max}` };
  return { value: v };
}
