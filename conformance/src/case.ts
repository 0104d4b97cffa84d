/**
 * What a conformance case is: a stable id, the rule it checks, where the rule comes from, the
 * capabilities it needs, and the check itself. Cases are data, so the runner, the vitest
 * binding and the generated catalogue (docs/conformance.md) all read the same list.
 */

/**
 * One precondition of a case on the adapter: a capability its manifest claims (or lacks), or
 * an option its subject provides. `label` is what the catalogue prints; `unmet` answers with
 * the skip reason, or `undefined` when the case applies.
 */
export interface Requirement<Limits, Subject> {
  /** How the catalogue names the requirement, e.g. `putWithTtl`, `not putMany`, `subject.createWithClock`. */
  readonly label: string;
  /** The skip reason when the requirement is not met, else `undefined`. */
  unmet(limits: Limits, subject: Subject): string | undefined;
}

/** One conformance case. `Context` is what {@link ConformanceCase.run} receives. */
export interface ConformanceCase<Context, Limits, Subject> {
  /** Stable, dotted id of kebab-case words (operation names keep their camelCase), e.g. `objects.range.suffix-larger-than-object`, `kv.getText.empty-key`. Never reused. */
  readonly id: string;
  /** The feature area the case belongs to, e.g. `kv.key`, `objects.range`, `multipart.copy`. */
  readonly area: string;
  /** The rule, one sentence naming the call and the outcome. */
  readonly rule: string;
  /** Where the rule comes from: a seed document, a provider doc section, an RFC 9110 section, or the contract. */
  readonly source: string;
  /** Every requirement must be met, or the case is reported skipped with the first unmet reason. */
  readonly requires: readonly Requirement<Limits, Subject>[];
  /** Throws (a {@link ConformanceFailure} or anything else) when the store breaks the rule. */
  run(context: Context): Promise<void>;
}

/** Names of the boolean fields of a manifest: its yes/no capabilities. */
export type CapabilityName<Limits> = {
  [K in keyof Limits]-?: Limits[K] extends boolean ? K : never;
}[keyof Limits] &
  string;

/** The case needs the manifest to claim `name` (e.g. `putWithTtl`, `uploadPartCopy`). */
export function claims<Limits, Subject>(name: CapabilityName<Limits>): Requirement<Limits, Subject> {
  return {
    label: name,
    unmet: (limits) => ((limits as Record<string, unknown>)[name] === true ? undefined : `the manifest does not claim ${name}`),
  };
}

/**
 * The case checks what happens when the manifest does not claim `name` (the `Unsupported`
 * path, or the alternative behaviour of a switch such as `multipartPartNumbersContiguous`).
 */
export function lacks<Limits, Subject>(name: CapabilityName<Limits>): Requirement<Limits, Subject> {
  return {
    label: `not ${name}`,
    unmet: (limits) => ((limits as Record<string, unknown>)[name] === true ? `the manifest claims ${name}; this case checks its absence` : undefined),
  };
}

/** The case needs an optional member of the subject, e.g. `createWithClock` or `dropNamespace`. */
export function provides<Limits, Subject>(name: keyof Subject & string): Requirement<Limits, Subject> {
  return {
    label: `subject.${name}`,
    unmet: (_limits, subject) => ((subject as Record<string, unknown>)[name] === undefined ? `the subject does not provide ${name}()` : undefined),
  };
}

/** The case needs a property of the manifest's numbers or strings, e.g. "keyForbiddenCharacters is not empty". */
export function manifest<Limits, Subject>(label: string, holds: (limits: Limits) => boolean): Requirement<Limits, Subject> {
  return { label, unmet: (limits) => (holds(limits) ? undefined : `the manifest does not satisfy: ${label}`) };
}

/**
 * Collects the cases of one contract. Feature files call {@link CaseRegistry.add} from their
 * `register(registry)`; a duplicated id is a bug in the suite and throws at once.
 */
export class CaseRegistry<Context, Limits, Subject> {
  readonly #cases = new Map<string, ConformanceCase<Context, Limits, Subject>>();

  /** Adds one case; `requires` defaults to none. */
  add(testCase: Omit<ConformanceCase<Context, Limits, Subject>, "requires"> & { requires?: readonly Requirement<Limits, Subject>[] }): void {
    if (this.#cases.has(testCase.id)) throw new Error(`duplicate conformance case id ${testCase.id}`);
    if (!/^[a-z][a-zA-Z0-9]*(?:[.-][a-zA-Z0-9]+)*$/.test(testCase.id)) throw new Error(`malformed conformance case id ${testCase.id}`);
    this.#cases.set(testCase.id, { ...testCase, requires: testCase.requires ?? [] });
  }

  /** The cases in registration order. */
  list(): readonly ConformanceCase<Context, Limits, Subject>[] {
    return [...this.#cases.values()];
  }
}
