/**
 * Header access for Lambda events, case-insensitive (RFC 9110 §5.1): ALB and API Gateway pass
 * names as the client sent them, and the `multiValueHeaders` form keeps every repeated value.
 */
export interface EventHeaders {
  /** Every value of a header; empty when absent. */
  all(name: string): readonly string[];
  /** The headers as the engine's `request.headers` (lower-case names). */
  readonly record: Readonly<Record<string, string | readonly string[]>>;
  /** Whether the event carried `multiValueHeaders` (the response must then use them too). */
  readonly multiValue: boolean;
}

export function readEventHeaders(event: {
  readonly headers?: unknown;
  readonly multiValueHeaders?: unknown;
}): EventHeaders {
  const record: Record<string, string[]> = Object.create(null);
  const add = (name: string, values: readonly string[]): void => {
    const key = name.toLowerCase();
    const existing = record[key];
    if (existing === undefined) record[key] = [...values];
    else existing.push(...values);
  };
  const multi = isRecord(event.multiValueHeaders) ? event.multiValueHeaders : undefined;
  const single = isRecord(event.headers) ? event.headers : undefined;
  // API Gateway v1 sends both forms; the multi-value one is complete, so it wins.
  if (multi !== undefined) {
    for (const [name, values] of Object.entries(multi)) {
      if (!Array.isArray(values)) continue;
      const strings = values.filter((v): v is string => typeof v === 'string');
      if (strings.length > 0) add(name, strings);
    }
  } else if (single !== undefined) {
    for (const [name, value] of Object.entries(single)) {
      if (typeof value === 'string') add(name, [value]);
    }
  }
  const flat: Record<string, string | readonly string[]> = Object.create(null);
  for (const [name, values] of Object.entries(record))
    flat[name] = values.length === 1 ? (values[0] as string) : values;
  return {
    all: (name) => record[name.toLowerCase()] ?? [],
    record: flat,
    multiValue: multi !== undefined,
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
