/**
 * Command-line addresses: `<store>:<key or prefix>` names a key in a configured store, `-` is
 * standard input or output, and anything else is a local path. A local path containing a
 * colon is written `./name:with:colons`.
 */
import { UsageError } from "./exit-codes.js";
import type { StorageSession, StoreRef } from "./storage-session.js";

/** A parsed address. */
export type Address =
  | { readonly type: "local"; readonly path: string }
  | { readonly type: "stdio" }
  | { readonly type: "store"; readonly ref: StoreRef; readonly key: string };

/** Store names as the storage configuration allows them (letters, digits, `_`, `-`). */
const STORE_ADDRESS = /^([A-Za-z0-9][A-Za-z0-9_-]{0,63}):(.*)$/s;

/** Whether `text` is written as a store address (the store may still be unknown). */
export function looksLikeStoreAddress(text: string): boolean {
  return STORE_ADDRESS.test(text);
}

/**
 * Parses `text`; `session` opens the configuration only when a store is named. An unknown
 * store name is a {@link UsageError} rather than a local file called `typo:key`.
 */
export async function parseAddress(text: string, session: () => Promise<StorageSession>): Promise<Address> {
  if (text === "-") return { type: "stdio" };
  const match = STORE_ADDRESS.exec(text);
  if (!match) {
    if (text === "") throw new UsageError("an empty address: give a local path, - or <store>:<key>");
    return { type: "local", path: text };
  }
  const ref = (await session()).store(match[1]!);
  return { type: "store", ref, key: match[2]! };
}

/** `files:a/b.txt`, `-`, or the path: how messages name an address. */
export function describeAddress(address: Address): string {
  switch (address.type) {
    case "local":
      return address.path;
    case "stdio":
      return "-";
    case "store":
      return `${address.ref.name}:${address.key}`;
  }
}
