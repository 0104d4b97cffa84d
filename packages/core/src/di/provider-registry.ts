import { StorageError } from "../storage-error.js";
import type { StorageProvider } from "../storage-provider.js";

// Ids appear in configuration files and environment variable values: keep them plain.
const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
// What an unknown name may look like to be echoed back: an id in any case. Anything else (a
// mistyped line may hold a secret or a URL) is not repeated.
const ECHOABLE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Edits (insert, delete, substitute) between `a` and `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * The known id `name` most likely meant: the same letters in another case, else the nearest
 * within two edits (`memroy` → `memory`, `esakv` → `esa-kv`); `undefined` when none is close.
 */
export function suggestProviderId(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const sameLetters = known.find((id) => id === lower);
  if (sameLetters !== undefined) return sameLetters;
  let best: { id: string; distance: number } | undefined;
  for (const id of known) {
    const distance = editDistance(lower, id);
    if (distance <= 2 && distance < lower.length && (best === undefined || distance < best.distance)) best = { id, distance };
  }
  return best?.id;
}

/**
 * The providers a configuration can name, by id. {@link createStorageContainer} fills one from
 * the loaded modules and the `providers` option; third-party adapters land here exactly as
 * built-in ones do.
 */
export class ProviderRegistry {
  readonly #providers = new Map<string, StorageProvider>();

  /**
   * Adds a provider. Raises `InvalidArgument` for an id that is not lower-case letters, digits,
   * `.`, `_` and `-` (at most 64), or a provider with neither driver factory; `AlreadyExists`
   * when another provider holds the id (registering the same object again is a no-op).
   */
  register(provider: StorageProvider): this {
    const id: unknown = provider?.id;
    if (typeof id !== "string" || !ID_PATTERN.test(id)) {
      throw new StorageError({ code: "InvalidArgument", message: "provider id must match /^[a-z0-9][a-z0-9._-]{0,63}$/" });
    }
    if (typeof provider.createKeyValueStoreDriver !== "function" && typeof provider.createMultipartObjectStoreDriver !== "function") {
      throw new StorageError({ code: "InvalidArgument", message: `provider "${id}" creates neither a key-value nor an object store driver` });
    }
    const existing = this.#providers.get(id);
    if (existing === provider) return this;
    if (existing) throw new StorageError({ code: "AlreadyExists", message: `a provider with id "${id}" is already registered` });
    this.#providers.set(id, provider);
    return this;
  }

  /** Whether a provider holds `id`. */
  has(id: string): boolean {
    return this.#providers.has(id);
  }

  /**
   * The provider with `id`; `InvalidArgument` when there is none, listing the known ids and
   * suggesting the nearest (`"KS3"` → did you mean `"ks3"`?).
   */
  get(id: string): StorageProvider {
    const provider = this.#providers.get(id);
    if (provider) return provider;
    const known = this.list().map((p) => p.id);
    const echoable = typeof id === "string" && ECHOABLE.test(id);
    const suggestion = echoable ? suggestProviderId(id, known) : undefined;
    throw new StorageError({
      code: "InvalidArgument",
      // Echo only something shaped like an id: a mistyped config line may hold anything.
      message:
        `unknown provider ${echoable ? `"${id}"` : "(not a valid id)"}` +
        (suggestion === undefined ? "" : `; did you mean "${suggestion}"?`) +
        `; known providers: ${known.length ? known.join(", ") : "(none registered)"}`,
    });
  }

  /** Every registered provider, ordered by id. */
  list(): StorageProvider[] {
    return [...this.#providers.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
