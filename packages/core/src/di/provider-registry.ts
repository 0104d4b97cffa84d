import { StorageError } from "../storage-error.js";
import type { StorageProvider } from "../storage-provider.js";

// Ids appear in configuration files and environment variable values: keep them plain.
const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

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

  /** The provider with `id`; `InvalidArgument` listing the known ids when there is none. */
  get(id: string): StorageProvider {
    const provider = this.#providers.get(id);
    if (provider) return provider;
    const known = this.list().map((p) => p.id);
    throw new StorageError({
      code: "InvalidArgument",
      // Echo only something shaped like an id: a mistyped config line may hold anything.
      message: `unknown provider ${ID_PATTERN.test(id) ? `"${id}"` : "(not a valid id)"}; known providers: ${known.length ? known.join(", ") : "(none registered)"}`,
    });
  }

  /** Every registered provider, ordered by id. */
  list(): StorageProvider[] {
    return [...this.#providers.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
