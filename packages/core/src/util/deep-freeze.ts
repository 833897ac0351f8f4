/**
 * Freeze a parsed JSON value and everything in it (policies, verified token claims): values that
 * are shared between callers must not change under the next one.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
