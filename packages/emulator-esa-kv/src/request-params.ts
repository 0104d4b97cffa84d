import { EsaKvEmulatorError } from "./errors.js";

/**
 * Parses an `application/x-www-form-urlencoded` string (a form body or a query string) into
 * name–value pairs in order, as `URLSearchParams` would. Written out because `URLSearchParams`
 * decodes byte by byte in JavaScript: on a 1 KiB Base64 value it was the emulator's largest
 * cost per request, and the emulator's cost is shared by every client a benchmark compares.
 * A pair with a malformed `%` escape is handed to `URLSearchParams`, which keeps it literally.
 * More than `maxFields` fields is `InvalidParameter`.
 */
export function parseFormUrlEncoded(text: string, maxFields = Number.POSITIVE_INFINITY): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (text === "") return pairs;
  // Counted before splitting: a flood of tiny fields must not cost a string per field first.
  let separators = 0;
  for (let at = text.indexOf("&"); at >= 0; at = text.indexOf("&", at + 1)) {
    if (++separators >= maxFields) throw new EsaKvEmulatorError("InvalidParameter", `The form carries more than ${maxFields} fields.`);
  }
  for (const part of text.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? "" : part.slice(eq + 1);
    try {
      pairs.push([decodeFormComponent(rawName), decodeFormComponent(rawValue)]);
    } catch {
      pairs.push(...new URLSearchParams(part));
    }
  }
  return pairs;
}

function decodeFormComponent(raw: string): string {
  const spaced = raw.includes("+") ? raw.replaceAll("+", " ") : raw;
  return spaced.includes("%") ? decodeURIComponent(spaced) : spaced;
}

/**
 * Where an action's parameters are read from. The SDK puts each parameter in exactly one place
 * (reference §1.1: e.g. PutKv `Key` in the query, `Value` in the form body; `KvList` and
 * `Keys` as JSON strings in a form field), and the emulator reads each one only from there,
 * so a client that misplaces a parameter fails here exactly as it would against the service.
 */
export class RequestParams {
  private readonly queryMap: ReadonlyMap<string, string>;
  private readonly formMap: ReadonlyMap<string, string>;

  constructor(query: ReadonlyArray<readonly [string, string]>, form: ReadonlyArray<readonly [string, string]>) {
    // First occurrence wins: the SDK never repeats a parameter.
    this.queryMap = firstWins(query);
    this.formMap = firstWins(form);
  }

  /** A query-string parameter. */
  query(name: string): string | undefined {
    return this.queryMap.get(name);
  }

  /** A form-body parameter. */
  form(name: string): string | undefined {
    return this.formMap.get(name);
  }

  /** A query-string boolean (`true`/`false`, the SDK's rendering); absent is false. */
  queryBoolean(name: string): boolean {
    const raw = this.query(name);
    if (raw === undefined || raw === "" || raw === "false") return false;
    if (raw === "true") return true;
    throw new EsaKvEmulatorError("InvalidParameter", `${name} must be true or false.`);
  }

  /** A query-string integer, or undefined when absent. */
  queryInteger(name: string): number | undefined {
    const raw = this.query(name);
    if (raw === undefined || raw === "") return undefined;
    return parseInteger(name, raw);
  }
}

/** Parses a decimal integer parameter; raises `InvalidParameter` otherwise. */
export function parseInteger(name: string, raw: unknown): number {
  const value = typeof raw === "number" ? raw : typeof raw === "string" && /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new EsaKvEmulatorError("InvalidParameter", `${name} must be an integer.`);
  return value;
}

function firstWins(pairs: ReadonlyArray<readonly [string, string]>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of pairs) if (!map.has(name)) map.set(name, value);
  return map;
}
